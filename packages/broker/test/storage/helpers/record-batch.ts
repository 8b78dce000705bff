/**
 * Record batches v2 (uncompressed) with a correct CRC-32C, the way producers send them
 * (baseOffset 0, partitionLeaderEpoch 0), built by the codec's encodeRecordBatch (one encoder in
 * the repo). Cross-checked against kafkajs's encoder in batch-header.test.ts. Tests that need
 * malformed batches corrupt these bytes afterwards (see splitProducedBatches cases).
 */
import { encodeRecordBatch } from '@warmcast/kafka-protocol';

export interface TestRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  /** Relative to the batch's baseTimestamp; the first record's must be 0 (the codec takes the first record's time as baseTimestamp). */
  timestampDelta?: number;
}

export interface TestBatch {
  records: TestRecord[];
  baseTimestamp?: bigint;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

export function encodeBatch(b: TestBatch): Buffer {
  const baseTs = b.baseTimestamp ?? 1_700_000_000_000n;
  if ((b.records[0]?.timestampDelta ?? 0) !== 0) throw new RangeError('first record timestampDelta must be 0');
  return encodeRecordBatch({
    records: b.records.map((r) => ({ key: r.key ?? null, value: r.value, timestamp: baseTs + BigInt(r.timestampDelta ?? 0) })),
    // This helper's producers default to epoch 0 / sequence 0 (the codec's defaults are -1).
    producerId: b.producerId ?? -1n,
    producerEpoch: b.producerEpoch ?? 0,
    baseSequence: b.baseSequence ?? 0,
  });
}

/** A batch of `count` records with values "<tag>-<i>". */
export function simpleBatch(tag: string, count: number, extra: Omit<TestBatch, 'records'> = {}): Buffer {
  return encodeBatch({ ...extra, records: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}` })) });
}

/** A one-record batch whose value is `valueBytes` long (for size-driven tests). */
export function sizedBatch(valueBytes: number, fill = 0x61, extra: Omit<TestBatch, 'records'> = {}): Buffer {
  return encodeBatch({ ...extra, records: [{ key: null, value: Buffer.alloc(valueBytes, fill) }] });
}

/** Splits a read result into batches: [baseOffset, bytes]. */
export function splitBatches(buf: Buffer): Array<{ baseOffset: bigint; bytes: Buffer }> {
  const out: Array<{ baseOffset: bigint; bytes: Buffer }> = [];
  let at = 0;
  while (at + 12 <= buf.length) {
    const total = buf.readInt32BE(at + 8) + 12;
    out.push({ baseOffset: buf.readBigInt64BE(at), bytes: buf.subarray(at, at + total) });
    at += total;
  }
  return out;
}

/** Same batch ignoring the two fields the broker rewrites (baseOffset, partitionLeaderEpoch). */
export function sameBatchBody(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.subarray(8, 12).equals(b.subarray(8, 12)) && a.subarray(16).equals(b.subarray(16));
}
