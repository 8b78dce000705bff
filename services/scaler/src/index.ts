// @warmcast/scaler: see README.md.
export {};
