import { describe, expect, it } from 'vitest';
import { CONTROL_FLAG, Compression, encodeRecordBatch, gzip } from '@warmcast/kafka-protocol';
import type { Decompressors } from '@warmcast/kafka-protocol';
import { compressFrameSync } from 'lz4-napi';
import snappyjs from 'snappyjs';
import { allDecompressors, decodeRecordSet } from '../../src/index.ts';

const batch = (base: bigint, values: string[], extra: Parameters<typeof encodeRecordBatch>[0] extends infer O ? Partial<O> : never = {}): Buffer =>
  encodeRecordBatch({ baseOffset: base, records: values.map((v, i) => ({ key: `k${i}`, value: v, timestamp: 1000 + i, headers: i === 0 ? { h: 'x' } : undefined })), ...extra });

const all = { decompressors: allDecompressors };
const values = (set: ReturnType<typeof decodeRecordSet>): (string | undefined)[] => set.messages.map((m) => m.value?.toString());

/** A valid zstd frame holding `raw` in one Raw_Block (RFC 8878 3.1.1): magic, window 128 KiB, last block, type raw. */
function zstdRawFrame(raw: Buffer): Buffer {
  const blockHeader = 1 | (0 << 1) | (raw.length << 3);
  return Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3, blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]), raw]);
}

const codec = (id: number, compress: (raw: Buffer) => Buffer) => ({ compression: { codec: id, compress } });

describe('decodeRecordSet', () => {
  it('decodes keys, values (views of the fetched bytes), headers, offsets and timestamps as strings', () => {
    const set = Buffer.concat([batch(10n, ['a', 'b']), batch(12n, ['c'])]);
    const { messages, nextOffset, undecodable } = decodeRecordSet(set, 10n, all);
    expect(messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString(), m.timestamp])).toEqual([['10', 'k0', 'a', '1000'], ['11', 'k1', 'b', '1001'], ['12', 'k0', 'c', '1000']]);
    expect(messages[0]?.headers['h']?.toString()).toBe('x');
    expect(messages[1]?.headers).toEqual({});
    expect(messages[0]?.value?.buffer).toBe(set.buffer); // zero copy
    expect(nextOffset).toBe(13n);
    expect(undecodable).toBeUndefined();
  });
  it('drops records before the fetch offset and leaves a truncated trailing batch for later', () => {
    const whole = Buffer.concat([batch(0n, ['a', 'b', 'c']), batch(3n, ['d'])]);
    const set = decodeRecordSet(whole.subarray(0, whole.length - 5), 1n, all);
    expect(values(set)).toEqual(['b', 'c']);
    expect(set.nextOffset).toBe(3n);
  });
  it('skips control batches but steps over their offsets', () => {
    const { messages, nextOffset } = decodeRecordSet(batch(5n, ['marker'], { attributes: CONTROL_FLAG }), 5n, all);
    expect(messages).toEqual([]);
    expect(nextOffset).toBe(6n);
  });

  it.each([
    ['gzip', Compression.gzip, gzip.compress],
    ['snappy', Compression.snappy, (raw: Buffer) => Buffer.from(snappyjs.compress(raw))],
    ['lz4', Compression.lz4, (raw: Buffer) => compressFrameSync(raw)],
    ['zstd', Compression.zstd, zstdRawFrame],
  ] as const)('decodes %s batches with the registered decompressors', (_name, id, compress) => {
    const set = decodeRecordSet(Buffer.concat([batch(0n, ['x', 'y'], codec(id, compress)), batch(2n, ['z'])]), 0n, all);
    expect(values(set)).toEqual(['x', 'y', 'z']);
    expect(set.undecodable).toBeUndefined();
  });

  it('dispatches on the codec id in the attributes to the decompressor registered for it', () => {
    const seen: number[] = [];
    const tagged = (id: number): Decompressors[number] => (b) => { seen.push(id); return b.subarray(1); };
    const decompressors: Decompressors = { [Compression.snappy]: tagged(2), [Compression.lz4]: tagged(3), [Compression.zstd]: tagged(4) };
    const prefixed = (raw: Buffer): Buffer => Buffer.concat([Buffer.from([0xee]), raw]);
    const set = Buffer.concat([batch(0n, ['a'], codec(Compression.zstd, prefixed)), batch(1n, ['b'], codec(Compression.snappy, prefixed)), batch(2n, ['c'], codec(Compression.lz4, prefixed))]);
    expect(values(decodeRecordSet(set, 0n, { decompressors }))).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual([4, 2, 3]);
  });

  describe('an undecodable batch is returned whole, after the messages before it, and ends the walk', () => {
    const good = batch(0n, ['g0', 'g1']);
    const after = batch(5n, ['g5']);
    const check = (bad: Buffer, o: Parameters<typeof decodeRecordSet>[2], reason: RegExp): void => {
      const set = decodeRecordSet(Buffer.concat([good, bad, after]), 0n, o);
      expect(values(set)).toEqual(['g0', 'g1']);
      expect(set.undecodable?.reason).toMatch(reason);
      expect(set.undecodable?.baseOffset).toBe(2n);
      expect(set.undecodable?.lastOffset).toBe(4n);
      expect(set.undecodable?.bytes.equals(bad)).toBe(true);
      expect(set.nextOffset).toBe(5n); // the good batch after it is left for the next fetch
    };
    const three = (extra: Parameters<typeof batch>[2] = {}): Buffer => batch(2n, ['b2', 'b3', 'b4'], extra);

    it.each([5, 6, 7])('codec id %i, which no Kafka version defines', (id) => {
      check(three(codec(id, (raw) => raw)), all, new RegExp(`unknown codec ${id}; Kafka codecs are 0-4`));
    });
    it('a corrupt lz4 stream (the frame magic, then garbage)', () => {
      check(three(codec(Compression.lz4, () => Buffer.from('04224d18deadbeefdeadbeef', 'hex'))), all, /^lz4 batch \(codec 3\) failed to decompress: .+/);
    });
    it('a snappy stream that is not snappy', () => {
      check(three(codec(Compression.snappy, () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]))), all, /^snappy batch \(codec 2\) failed to decompress: .*Snappy/);
    });
    it('a codec the client was given no decompressor for', () => {
      check(three(codec(Compression.zstd, zstdRawFrame)), { decompressors: {} }, /^no decompressor for zstd \(codec 4\)$/);
    });
    it('a CRC mismatch, when checkCrcs is on (and only then)', () => {
      const bad = three();
      bad[bad.indexOf('b4')] = 0x63; // value b4 -> c4: still parses, only the CRC tells
      check(bad, { ...all, checkCrcs: true }, /^uncompressed batch: CRC-32C mismatch/);
      expect(values(decodeRecordSet(Buffer.concat([good, bad]), 0n, all))).toEqual(['g0', 'g1', 'b2', 'b3', 'c4']);
    });
    it('records that do not parse (a batch saying 3 records that holds 1)', () => {
      const bad = batch(2n, ['b2'], { attributes: 0 });
      bad.writeInt32BE(2, 23); // lastOffsetDelta
      bad.writeInt32BE(3, 57); // recordCount
      check(bad, all, /^uncompressed batch: truncated varint$/);
    });
    it('a pre-0.11 message set (magic 1)', () => {
      const set = decodeRecordSet(Buffer.concat([good, (() => { const b = three(); b.writeInt8(1, 16); return b; })()]), 0n, all);
      expect(set.undecodable?.reason).toMatch(/magic 1/);
      expect(set.undecodable?.lastOffset).toBe(2n); // no lastOffsetDelta in that format
    });
  });

  it('never steps over the batch after a bad one, whatever the bad header says its last offset is', () => {
    const bad = batch(2n, ['b2', 'b3', 'b4'], codec(7, (raw) => raw));
    bad.writeInt32BE(1_000_000, 23); // lastOffsetDelta (the CRC is not checked here)
    const set = decodeRecordSet(Buffer.concat([batch(0n, ['g0', 'g1']), bad, batch(5n, ['g5'])]), 0n, all);
    expect(set.undecodable?.lastOffset).toBe(4n);
    expect(set.nextOffset).toBe(5n);
  });

  it('looks at no batch below the fetch offset, so a bad batch already passed is not returned again', () => {
    const bad = batch(2n, ['b'], codec(7, (raw) => raw));
    const set = decodeRecordSet(Buffer.concat([bad, batch(3n, ['c'])]), 3n, all);
    expect(values(set)).toEqual(['c']);
    expect(set.undecodable).toBeUndefined();
  });
});
