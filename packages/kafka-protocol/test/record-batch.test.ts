import { describe, expect, it } from 'vitest';
import {
  crc32c, encodeRecordBatch, decodeRecordBatch, readBatchHeader, batchSize, forEachBatch, splitBatches,
  verifyBatchCrc, setBaseOffset, setPartitionLeaderEpoch, gzip, defaultDecompressors, ProtocolError, Compression,
} from '../src/index.ts';

const t0 = 1_700_000_000_000n;

function sample(): Buffer {
  return encodeRecordBatch({
    records: [
      { key: 'k1', value: 'v1', timestamp: t0, headers: { h: 'x' } },
      { key: null, value: null, timestamp: t0 + 5n },
      { value: Buffer.alloc(300, 7), timestamp: t0 + 2n, headers: [{ key: 'n', value: null }] },
    ],
  });
}

describe('crc32c', () => {
  it('matches the CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
  it('matches a bitwise reference at every alignment and length', () => {
    const ref = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1; }
      return (c ^ 0xffffffff) >>> 0;
    };
    const big = Buffer.from(Array.from({ length: 80 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let off = 0; off < 8; off++) {
      for (let len = 0; len <= 64; len += 3) {
        const view = big.subarray(off, off + len);
        expect(crc32c(view)).toBe(ref(view));
      }
    }
  });
  it('is the same for any split point (slice-by-8 tail handling)', () => {
    const b = Buffer.from(Array.from({ length: 37 }, (_, i) => (i * 31) & 0xff));
    for (let cut = 0; cut <= b.length; cut++) expect(crc32c(b, cut, b.length, crc32c(b, 0, cut))).toBe(crc32c(b));
  });
});

describe('record batch v2', () => {
  it('encodes a header Kafka clients accept: 61 bytes, magic 2, deltas, pid -1', () => {
    const b = sample();
    const h = readBatchHeader(b, 0);
    expect(h).toMatchObject({
      baseOffset: 0n, magic: 2, attributes: 0, lastOffsetDelta: 2, recordCount: 3, baseTimestamp: t0,
      maxTimestamp: t0 + 5n, producerId: -1n, producerEpoch: -1, baseSequence: -1, partitionLeaderEpoch: 0,
    });
    expect(batchSize(b, 0)).toBe(b.length);
    expect(h.batchLength).toBe(b.length - 12);
    expect(verifyBatchCrc(b)).toBe(true);
  });

  it('decodes its records back', () => {
    const { records } = decodeRecordBatch(sample());
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.length ?? null])).toEqual([
      [0n, t0, 'k1', 2], [1n, t0 + 5n, null, null], [2n, t0 + 2n, null, 300],
    ]);
    expect(records[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    expect(records[2]!.headers).toEqual([{ key: 'n', value: null }]);
  });

  it('round-trips gzip when given the decompressor, and refuses without it', () => {
    const b = encodeRecordBatch({ records: [{ value: 'a'.repeat(1000), timestamp: 1 }], compression: gzip });
    expect(readBatchHeader(b).attributes & 7).toBe(Compression.gzip);
    expect(b.length).toBeLessThan(200);
    expect(decodeRecordBatch(b, defaultDecompressors).records[0]!.value!.toString()).toBe('a'.repeat(1000));
    expect(() => decodeRecordBatch(b)).toThrow(ProtocolError);
  });

  it('rewrites baseOffset and leader epoch in place without breaking the CRC', () => {
    const b = sample();
    setBaseOffset(b, 1234n);
    setPartitionLeaderEpoch(b, 9);
    expect(verifyBatchCrc(b)).toBe(true);
    expect(readBatchHeader(b)).toMatchObject({ baseOffset: 1234n, partitionLeaderEpoch: 9 });
    expect(decodeRecordBatch(b).records[2]!.offset).toBe(1236n);
  });

  it('detects a flipped bit in the CRC-covered range', () => {
    const b = sample();
    b[b.length - 1]! ^= 1;
    expect(verifyBatchCrc(b)).toBe(false);
  });

  it('splits a record set and reports a truncated trailing batch', () => {
    const a = sample();
    const c = encodeRecordBatch({ baseOffset: 3n, records: [{ value: 'z', timestamp: 2 }] });
    const set = Buffer.concat([a, c]);
    expect(splitBatches(set).map((x) => x.length)).toEqual([a.length, c.length]);
    const cut = set.subarray(0, set.length - 5);
    expect(() => splitBatches(cut)).toThrow(ProtocolError);
    expect(splitBatches(cut, { allowTruncated: true })).toHaveLength(1);
    const seen: number[] = [];
    expect(forEachBatch(cut, (_b, off) => seen.push(off))).toEqual({ batches: 1, truncatedBytes: c.length - 5 });
    expect(seen).toEqual([0]);
    expect(forEachBatch(Buffer.alloc(0), () => undefined)).toEqual({ batches: 0, truncatedBytes: 0 });
  });

  it('rejects a batchLength too small to hold a header', () => {
    const b = sample();
    b.writeInt32BE(10, 8);
    expect(() => splitBatches(b)).toThrow(ProtocolError);
  });
});
