import { describe, expect, it } from 'vitest';
import { toDeadLetter, flattenHeaders } from '../../src/core/dead-letter.ts';

describe('toDeadLetter', () => {
  it('keeps original key, value and headers byte for byte, with source and reason', () => {
    const value = Buffer.from([0x7b, 0x00, 0xff, 0x01]);
    const dl = toDeadLetter(
      { topic: 'exec.request.received.v1', partition: 2, offset: '41', key: Buffer.from('user-1'), value, headers: { trace: Buffer.from('abc'), multi: [Buffer.from('a'), 'b'] } },
      { code: 'DECODE_FAILED', text: 'first byte 123', attempts: 1 }, 'ingest', 1_700_000_000_000,
    );
    expect(dl).toEqual({
      sourceTopic: 'exec.request.received.v1', sourcePartition: 2, sourceOffset: 41,
      key: Buffer.from('user-1'), value,
      headers: [{ key: 'trace', value: Buffer.from('abc') }, { key: 'multi', value: Buffer.from('a') }, { key: 'multi', value: Buffer.from('b') }],
      reasonCode: 'DECODE_FAILED', reasonText: 'first byte 123', attempts: 1, service: 'ingest', failedAt: 1_700_000_000_000,
    });
  });

  it('keeps a null key and a tombstone as null, and caps the reason text at 4096 chars', () => {
    const dl = toDeadLetter({ topic: 't', partition: 0, offset: '0', key: null, value: null, headers: {} }, { code: 'HANDLER_FAILED', text: 'x'.repeat(10_000), attempts: 1 }, 's', 0);
    expect(dl.key).toBeNull();
    expect(dl.value).toBeNull();
    expect(dl.reasonText).toHaveLength(4096);
  });

  it('flattens an undefined header value to null', () => {
    expect(flattenHeaders({ a: undefined })).toEqual([{ key: 'a', value: null }]);
  });
});
