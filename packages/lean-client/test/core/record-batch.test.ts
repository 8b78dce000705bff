// LeanProducer's one-allocation batch encoder against kafka-protocol's general encoder (same
// bytes, CRC included) and its decoder (records read back as written).
import { describe, expect, it } from 'vitest';
import { decodeRecordBatch, encodeRecordBatch } from '@warmcast/kafka-protocol';
import { encodePlainBatch } from '../../src/core/record-batch.ts';
import type { PlainRecord } from '../../src/core/record-batch.ts';

const T = 1_795_454_854_762;

function records(n: number, valueBytes: (i: number) => number, stamp: (i: number) => number): PlainRecord[] {
  return Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`user-${i % 7}`), value: Buffer.alloc(valueBytes(i), i % 251), timestamp: stamp(i) }));
}

describe('encodePlainBatch', () => {
  const cases: [string, PlainRecord[]][] = [
    ['one record', records(1, () => 10, () => T)],
    ['300 small records, rising timestamps', records(300, (i) => 50 + (i % 90), (i) => T + i * 3)],
    // Timestamps before the first (negative deltas), deltas past 2^31 ms, varint length boundaries (127/128, 16383/16384).
    ['negative and > 2^31 deltas', records(6, (i) => [0, 127, 128, 16_383, 16_384, 70_000][i]!, (i) => [T, T - 5, T + 2 ** 33, T - 2 ** 32, T + 1, T][i]!)],
    // Keyless records (key length -1), mixed with keyed ones: the lean producer's null keys.
    ['keyless records', records(5, (i) => 20 + i, (i) => T + i).map((r, i) => (i % 2 === 0 ? { ...r, key: null } : r))],
  ];
  for (const [name, list] of cases) {
    it(`writes the same bytes as encodeRecordBatch: ${name}`, () => {
      const mine = encodePlainBatch(list);
      const general = encodeRecordBatch({ records: list.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })) });
      expect(mine.length).toBe(general.length);
      expect(mine.equals(general)).toBe(true);
      const back = decodeRecordBatch(mine);
      expect(back.records.map((r) => [r.key?.toString(), r.value?.length, Number(r.timestamp)])).toEqual(list.map((r) => [r.key?.toString(), r.value.length, r.timestamp]));
    });
  }

  it('refuses an empty batch', () => {
    expect(() => encodePlainBatch([])).toThrow(RangeError);
  });
});
