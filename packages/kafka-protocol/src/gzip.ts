import { gzipSync, gunzipSync } from 'node:zlib';
import { Compression } from './record-batch.ts';
import type { Decompressors } from './record-batch.ts';

/**
 * gzip for record batches (the only codec kafkajs has built in). Kept out of record-batch.ts so
 * the batch code stays free of node modules; zlib is synchronous CPU work, no I/O, so it is still
 * safe to call from a pure core if passed in.
 */
export const gzip = { codec: Compression.gzip, compress: (raw: Buffer): Buffer => gzipSync(raw) };
export const gunzip = (compressed: Buffer): Buffer => gunzipSync(compressed);
export const defaultDecompressors: Decompressors = { [Compression.gzip]: gunzip };
