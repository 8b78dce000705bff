/**
 * Encodes record batches v2 (uncompressed) with a correct CRC-32C, the way producers send
 * them (baseOffset 0, partitionLeaderEpoch 0). Cross-checked against kafkajs's encoder in
 * batch-header.test.ts.
 */
import { crc32c } from '../../../src/storage/index.ts';

export interface TestRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  timestampDelta?: number;
}

export interface TestBatch {
  records: TestRecord[];
  baseTimestamp?: bigint;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

function varint(n: number): Buffer {
  // zigzag + LEB128 (protobuf sint32)
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

function bytesField(b: string | Buffer | null | undefined): Buffer {
  if (b === null || b === undefined) return varint(-1);
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([varint(buf.length), buf]);
}

export function encodeRecord(r: TestRecord, offsetDelta: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([0]), // attributes
    varint(r.timestampDelta ?? 0),
    varint(offsetDelta),
    bytesField(r.key),
    bytesField(r.value),
    varint(0), // headers
  ]);
  return Buffer.concat([varint(body.length), body]);
}

export function encodeBatch(b: TestBatch): Buffer {
  const baseTs = b.baseTimestamp ?? 1_700_000_000_000n;
  const maxDelta = Math.max(0, ...b.records.map((r) => r.timestampDelta ?? 0));
  const records = Buffer.concat(b.records.map((r, i) => encodeRecord(r, i)));
  const head = Buffer.alloc(61);
  head.writeBigInt64BE(0n, 0);
  head.writeInt32BE(61 - 12 + records.length, 8);
  head.writeInt32BE(0, 12);
  head.writeInt8(2, 16);
  head.writeInt16BE(0, 21);
  head.writeInt32BE(b.records.length - 1, 23);
  head.writeBigInt64BE(baseTs, 27);
  head.writeBigInt64BE(baseTs + BigInt(maxDelta), 35);
  head.writeBigInt64BE(b.producerId ?? -1n, 43);
  head.writeInt16BE(b.producerEpoch ?? 0, 51);
  head.writeInt32BE(b.baseSequence ?? 0, 53);
  head.writeInt32BE(b.records.length, 57);
  const batch = Buffer.concat([head, records]);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
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
