// @warmcast/aggregator: see README.md.
export {};
