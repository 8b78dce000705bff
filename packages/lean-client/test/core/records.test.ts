import { describe, expect, it } from 'vitest';
import { CONTROL_FLAG, Compression, encodeRecordBatch, gzip } from '@warmcast/kafka-protocol';
import { LeanClientError, decodeRecordSet } from '../../src/index.ts';

const batch = (base: bigint, values: string[], extra: Parameters<typeof encodeRecordBatch>[0] extends infer O ? Partial<O> : never = {}): Buffer =>
  encodeRecordBatch({ baseOffset: base, records: values.map((v, i) => ({ key: `k${i}`, value: v, timestamp: 1000 + i, headers: i === 0 ? { h: 'x' } : undefined })), ...extra });

describe('decodeRecordSet', () => {
  it('decodes keys, values (views of the fetched bytes), headers, offsets and timestamps as strings', () => {
    const set = Buffer.concat([batch(10n, ['a', 'b']), batch(12n, ['c'])]);
    const { messages, nextOffset } = decodeRecordSet(set, 10n, 't/0');
    expect(messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString(), m.timestamp])).toEqual([['10', 'k0', 'a', '1000'], ['11', 'k1', 'b', '1001'], ['12', 'k0', 'c', '1000']]);
    expect(messages[0]?.headers['h']?.toString()).toBe('x');
    expect(messages[1]?.headers).toEqual({});
    expect(messages[0]?.value?.buffer).toBe(set.buffer); // zero copy
    expect(nextOffset).toBe(13n);
  });
  it('drops records before the fetch offset and leaves a truncated trailing batch for later', () => {
    const whole = Buffer.concat([batch(0n, ['a', 'b', 'c']), batch(3n, ['d'])]);
    const { messages, nextOffset } = decodeRecordSet(whole.subarray(0, whole.length - 5), 1n, 't/0');
    expect(messages.map((m) => m.value?.toString())).toEqual(['b', 'c']);
    expect(nextOffset).toBe(3n);
  });
  it('decodes gzip batches', () => {
    const { messages } = decodeRecordSet(batch(0n, ['x', 'y'], { compression: gzip }), 0n, 't/0');
    expect(messages.map((m) => m.value?.toString())).toEqual(['x', 'y']);
  });
  it('skips control batches but steps over their offsets', () => {
    const { messages, nextOffset } = decodeRecordSet(batch(5n, ['marker'], { attributes: CONTROL_FLAG }), 5n, 't/0');
    expect(messages).toEqual([]);
    expect(nextOffset).toBe(6n);
  });
  it.each([['snappy', Compression.snappy], ['lz4', Compression.lz4], ['zstd', Compression.zstd]] as const)('names the unsupported codec %s', (name, codec) => {
    const b = batch(0n, ['x'], { compression: { codec, compress: (raw) => raw } });
    let err: unknown;
    try { decodeRecordSet(b, 0n, 't/3'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(LeanClientError);
    expect((err as LeanClientError).code).toBe('UNSUPPORTED_COMPRESSION');
    expect((err as LeanClientError).message).toContain(name);
    expect((err as LeanClientError).message).toContain('t/3');
  });
});
