/**
 * Record batch v2 header (61 bytes) and CRC-32C. Layout, big-endian:
 *   0 baseOffset i64 | 8 batchLength i32 (= total - 12) | 12 partitionLeaderEpoch i32 | 16 magic i8
 *  17 crc u32 (CRC-32C of bytes 21..end) | 21 attributes i16 | 23 lastOffsetDelta i32
 *  27 baseTimestamp i64 | 35 maxTimestamp i64 | 43 producerId i64 | 51 producerEpoch i16
 *  53 baseSequence i32 | 57 recordCount i32 | 61 records...
 * Pure: no I/O.
 */
import { crc32c, readBatchHeader, BATCH_HEADER_SIZE, BATCH_LENGTH_PREFIX, CONTROL_FLAG, type RecordBatchHeader } from '@warmcast/kafka-protocol';
import { batchCrc } from './batch-crc.ts';
import { StorageError } from './errors.ts';

// Layout, parsing and CRC come from the codec (one implementation); this file keeps storage's
// names and its Produce validation (StorageError codes).
export const BATCH_HEADER_BYTES = BATCH_HEADER_SIZE;
/** baseOffset (8) + batchLength (4): bytes not counted by batchLength. */
export const BATCH_LOG_OVERHEAD = BATCH_LENGTH_PREFIX;

/** totalBytes = whole batch size in bytes, batchLength + 12. */
export type BatchHeader = RecordBatchHeader;

/**
 * pre: buf.length >= at + 61 (every caller checks first; a violation throws the codec's
 * ProtocolError MALFORMED). One object per header: storage parses on every append and during
 * recovery, and the codec's reader is the single-allocation one.
 */
export const parseBatchHeader: (buf: Buffer, at?: number) => BatchHeader = readBatchHeader;

export function isControlBatch(h: BatchHeader): boolean {
  return (h.attributes & CONTROL_FLAG) !== 0;
}

/** The broker's only in-place edits; both are outside the CRC so it stays valid. */
export function stampBatch(buf: Buffer, at: number, baseOffset: bigint): void {
  buf.writeBigInt64BE(baseOffset, at);
  buf.writeInt32BE(0, at + 12);
}

// CRC-32C comes from the codec package: its implementation is equivalent to the one this file
// carried while the codec was being written (same slice-by-8 over aligned uint32 words; both
// checked against kafkajs's crc32C in test/storage/batch-header.test.ts).
export { crc32c };

/** CRC check of one whole batch at buf[at, at + totalBytes): the stored CRC covers bytes 21..end. */
export function batchCrcOk(buf: Buffer, at: number, h: BatchHeader): boolean {
  if (h.totalBytes < BATCH_HEADER_BYTES || at + h.totalBytes > buf.length) return false;
  return batchCrc(buf, at + 21, at + h.totalBytes) === buf.readUInt32BE(at + 17);
}

/**
 * Splits a Produce record set into batches and validates each: whole header, magic 2,
 * length inside the buffer, size <= maxBatchBytes, CRC-32C, recordCount > 0 and
 * lastOffsetDelta = recordCount - 1 (fresh producer batches). Throws StorageError.
 * Returns byte positions with headers; nothing is modified.
 */
export function splitProducedBatches(records: Buffer, maxBatchBytes: number): Array<{ at: number; header: BatchHeader }> {
  const out: Array<{ at: number; header: BatchHeader }> = [];
  let at = 0;
  if (records.length === 0) throw new StorageError('INVALID_RECORD', 'empty record set');
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_BYTES) {
      throw new StorageError('CORRUPT_MESSAGE', `record set ends with ${records.length - at} bytes, less than a 61-byte batch header`);
    }
    const h = parseBatchHeader(records, at);
    if (h.magic !== 2) throw new StorageError('CORRUPT_MESSAGE', `batch at byte ${at}: magic ${h.magic}, only 2 is supported`);
    if (h.totalBytes < BATCH_HEADER_BYTES || at + h.totalBytes > records.length) {
      throw new StorageError('CORRUPT_MESSAGE', `batch at byte ${at}: length ${h.totalBytes} inconsistent with record set of ${records.length} bytes`);
    }
    if (h.totalBytes > maxBatchBytes) {
      throw new StorageError('MESSAGE_TOO_LARGE', `batch at byte ${at}: ${h.totalBytes} bytes > max ${maxBatchBytes}`);
    }
    if (!batchCrcOk(records, at, h)) throw new StorageError('CORRUPT_MESSAGE', `batch at byte ${at}: CRC-32C mismatch`);
    if (h.recordCount <= 0 || h.lastOffsetDelta !== h.recordCount - 1) {
      throw new StorageError('INVALID_RECORD', `batch at byte ${at}: recordCount ${h.recordCount}, lastOffsetDelta ${h.lastOffsetDelta}`);
    }
    out.push({ at, header: h });
    at += h.totalBytes;
  }
  return out;
}
