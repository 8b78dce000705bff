/**
 * CRC-32C for Produce validation. The broker checks every produced byte, so this is its largest
 * per-byte cost after the kernel's: the codec's JS slice-by-8 measured 0.37-1.1 GB/s (loaded
 * and quiet machine), @node-rs/crc32's native crc32c ~4.5 GB/s on the same 900 KB batches
 * (bench/broker-cpu.bench.ts has the broker-level figures). The native module ships as a
 * per-platform npm package (no download at install); where none fits, the codec's JS CRC is
 * used, with the same results (test/storage/batch-crc.test.ts compares both).
 */
import { createRequire } from 'node:module';
import { crc32c as jsCrc32c } from '@warmcast/kafka-protocol';

type Crc = (buf: Buffer, start: number, end: number) => number;

function loadNative(): Crc | undefined {
  try {
    const { crc32c } = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c(input: Buffer, initial?: number): number };
    const f: Crc = (buf, start, end) => crc32c(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
    // Check value of the Castagnoli CRC: refuse a module that answers anything else.
    return f(Buffer.from('123456789'), 0, 9) === 0xe3069283 ? f : undefined;
  } catch {
    return undefined;
  }
}

const native = process.env['WARMCAST_BROKER_JS_CRC'] === '1' ? undefined : loadNative();

/** Which implementation batchCrc uses ('native' unless the module is missing or WARMCAST_BROKER_JS_CRC=1). */
export const crcImplementation: 'native' | 'js' = native === undefined ? 'js' : 'native';

/** CRC-32C of buf[start, end). */
export const batchCrc: Crc = native ?? ((buf, start, end) => jsCrc32c(buf, start, end));
