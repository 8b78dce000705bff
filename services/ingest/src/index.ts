// @warmcast/ingest: see README.md.
export {};
