// @warmcast/profiler: see README.md.
export {};
