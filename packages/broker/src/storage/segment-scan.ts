/**
 * Walks the batches of a segment file from a byte position, reading in 256 KiB chunks so
 * small batches cost no syscall each, and stops at the first batch that is torn, has a
 * bad header, goes backwards in offsets, or (when asked) fails its CRC-32C.
 */
import type { FileHandle } from 'node:fs/promises';
import { BATCH_HEADER_BYTES, batchCrcOk, parseBatchHeader, type BatchHeader } from './batch-header.ts';

const CHUNK_BYTES = 256 * 1024;

export interface ScanResult {
  /** Bytes of good batches from the start position; the file should be cut here. */
  validEnd: number;
  /** Why the scan stopped before the end of the file, if it did. */
  stop?: string;
}

export async function scanSegment(
  fd: FileHandle,
  start: number,
  end: number,
  firstOffset: bigint,
  verifyCrc: boolean,
  /** Return true to stop after this batch. */
  onBatch: (h: BatchHeader, position: number) => boolean | void,
): Promise<ScanResult> {
  let chunk = Buffer.alloc(0);
  let chunkStart = start;
  let pos = start;
  let expectOffset = firstOffset;
  // Makes [p, p + n) available in `chunk`; returns the offset of p inside it.
  const ensure = async (p: number, n: number): Promise<number> => {
    if (p >= chunkStart && p + n <= chunkStart + chunk.length) return p - chunkStart;
    const len = Math.min(Math.max(n, CHUNK_BYTES), end - p);
    if (chunk.length < len || chunk.length > CHUNK_BYTES * 4) chunk = Buffer.allocUnsafe(Math.max(len, CHUNK_BYTES));
    const { bytesRead } = await fd.read(chunk, 0, len, p);
    chunk = chunk.subarray(0, bytesRead);
    chunkStart = p;
    if (bytesRead < n) throw new Error(`short read at ${p}: ${bytesRead} < ${n}`);
    return 0;
  };
  while (pos < end) {
    if (end - pos < BATCH_HEADER_BYTES) return { validEnd: pos, stop: `torn header: ${end - pos} trailing bytes` };
    let at = await ensure(pos, BATCH_HEADER_BYTES);
    const h = parseBatchHeader(chunk, at);
    if (h.magic !== 2 || h.totalBytes < BATCH_HEADER_BYTES || h.recordCount <= 0 || h.lastOffsetDelta < 0) {
      return { validEnd: pos, stop: `bad header (magic ${h.magic}, length ${h.totalBytes})` };
    }
    if (h.baseOffset < expectOffset) return { validEnd: pos, stop: `offset ${h.baseOffset} goes back from ${expectOffset}` };
    if (pos + h.totalBytes > end) return { validEnd: pos, stop: `torn batch: ${h.totalBytes} bytes, ${end - pos} present` };
    if (verifyCrc) {
      at = await ensure(pos, h.totalBytes);
      if (!batchCrcOk(chunk, at, h)) return { validEnd: pos, stop: `CRC-32C mismatch at offset ${h.baseOffset}` };
    }
    const stop = onBatch(h, pos) === true;
    expectOffset = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
    pos += h.totalBytes;
    if (stop) return { validEnd: pos };
  }
  return { validEnd: pos };
}
