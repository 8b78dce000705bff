import { describe, expect, it, vi } from 'vitest';
import { crc32c, encodeRecordBatch } from '@warmcast/kafka-protocol';
import { batchCrc, crcImplementation } from '../../src/storage/batch-crc.ts';
import { batchCrcOk, parseBatchHeader } from '../../src/storage/batch-header.ts';

describe('batch CRC-32C', () => {
  it('uses the native module on this machine (it ships for linux-x64)', () => {
    expect(crcImplementation).toBe('native');
  });

  it('equals the codec JS CRC at every alignment and length', () => {
    const buf = Buffer.alloc(4096 + 64);
    let x = 12345;
    for (let i = 0; i < buf.length; i++) buf[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    for (const start of [0, 1, 2, 3, 5, 7, 21, 64]) {
      for (const len of [0, 1, 7, 8, 9, 15, 16, 17, 63, 1000, 4096]) {
        expect(batchCrc(buf, start, start + len), `start ${start} len ${len}`).toBe(crc32c(buf, start, start + len));
      }
    }
    expect(batchCrc(Buffer.from('123456789'), 0, 9)).toBe(0xe3069283);
  });

  it('accepts a good batch at an odd offset and refuses it after one flipped bit', () => {
    const batch = encodeRecordBatch({ records: [{ key: 'k', value: Buffer.alloc(300, 7), timestamp: 1 }] });
    const buf = Buffer.concat([Buffer.alloc(3), batch]);
    const h = parseBatchHeader(buf, 3);
    expect(batchCrcOk(buf, 3, h)).toBe(true);
    buf[3 + 200]! ^= 0x10;
    expect(batchCrcOk(buf, 3, h)).toBe(false);
  });

  it('falls back to the JS CRC with WARMCAST_BROKER_JS_CRC=1, with the same results', async () => {
    vi.stubEnv('WARMCAST_BROKER_JS_CRC', '1');
    vi.resetModules();
    try {
      const js = await import('../../src/storage/batch-crc.ts');
      expect(js.crcImplementation).toBe('js');
      const buf = Buffer.from('xx123456789');
      expect(js.batchCrc(buf, 2, 11)).toBe(0xe3069283);
      expect(js.batchCrc(buf, 0, 11)).toBe(batchCrc(buf, 0, 11));
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
