// @warmcast/warehouse: see README.md.
export {};
