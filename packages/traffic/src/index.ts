// @warmcast/traffic: see README.md.
export {};
