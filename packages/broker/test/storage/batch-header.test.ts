import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, parseBatchHeader } from '../../src/storage/index.ts';
import { splitProducedBatches } from '../../src/storage/batch-header.ts';
import { encodeBatch, simpleBatch } from './helpers/record-batch.ts';

const require = createRequire(import.meta.url);

describe('crc32c', () => {
  it('gives the Castagnoli check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with kafkajs on random buffers of every length 0..300', () => {
    const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
    for (let n = 0; n <= 300; n++) {
      const b = Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff));
      expect(crc32c(b) >>> 0).toBe(kafkajsCrc(b) >>> 0);
    }
  });

  it('is independent of alignment and range (word loop vs byte loop)', () => {
    const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
    const big = Buffer.alloc(5000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    for (let shift = 0; shift < 8; shift++) {
      for (const len of [0, 1, 7, 8, 9, 63, 4096]) {
        const view = big.subarray(shift, shift + len);
        expect(crc32c(view)).toBe(kafkajsCrc(view) >>> 0);
        expect(crc32c(big, shift, shift + len)).toBe(kafkajsCrc(view) >>> 0);
      }
    }
  });
});

describe('test batch encoder', () => {
  it('produces the same bytes as kafkajs RecordBatch v0 encoder', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: object) => unknown;
    const ts = 1_700_000_000_000;
    const theirs = await RecordBatch({
      firstTimestamp: ts,
      maxTimestamp: ts,
      lastOffsetDelta: 1,
      producerId: -1,
      producerEpoch: 0,
      firstSequence: 0,
      records: [
        Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k0'), value: Buffer.from('v-0'), headers: {} }),
        Record({ offsetDelta: 1, timestampDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v-1'), headers: {} }),
      ],
    });
    // kafkajs prefixes the batch with nothing extra: firstOffset + bytes(length-prefixed body).
    const ours = simpleBatch('v', 2, { baseTimestamp: BigInt(ts) });
    expect(ours.equals(theirs.buffer)).toBe(true);
  });

  it('parses its own header', () => {
    const b = encodeBatch({ records: [{ value: 'a' }, { value: 'b', timestampDelta: 5 }], producerId: 7n, producerEpoch: 2, baseSequence: 9 });
    const h = parseBatchHeader(b);
    expect(h).toMatchObject({ magic: 2, totalBytes: b.length, recordCount: 2, lastOffsetDelta: 1, producerId: 7n, producerEpoch: 2, baseSequence: 9 });
    expect(h.maxTimestamp - h.baseTimestamp).toBe(5n);
  });
});

describe('splitProducedBatches', () => {
  const good = simpleBatch('x', 3);
  const cases: Array<[string, () => Buffer, number, string]> = [
    ['crc mismatch', () => { const b = Buffer.from(good); b[b.length - 1]! ^= 1; return b; }, 1 << 20, 'CORRUPT_MESSAGE'],
    ['bad magic', () => { const b = Buffer.from(good); b.writeInt8(1, 16); return b; }, 1 << 20, 'CORRUPT_MESSAGE'],
    ['length past end', () => good.subarray(0, good.length - 1), 1 << 20, 'CORRUPT_MESSAGE'],
    ['short header', () => Buffer.concat([good, Buffer.alloc(10)]), 1 << 20, 'CORRUPT_MESSAGE'],
    ['too large', () => good, good.length - 1, 'MESSAGE_TOO_LARGE'],
    ['empty', () => Buffer.alloc(0), 1 << 20, 'INVALID_RECORD'],
  ];
  for (const [name, make, max, code] of cases) {
    it(`rejects ${name} with ${code}`, () => {
      expect(() => splitProducedBatches(make(), max)).toThrow(expect.objectContaining({ code }));
    });
  }

  it('splits several batches', () => {
    const set = Buffer.concat([good, simpleBatch('y', 1)]);
    expect(splitProducedBatches(set, 1 << 20).map((b) => b.at)).toEqual([0, good.length]);
  });
});
