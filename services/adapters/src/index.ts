// @warmcast/adapters: see README.md.
export {};
