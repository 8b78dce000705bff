import { describe, expect, it } from 'vitest';
import { FramePool } from '../../src/server/frame-pool.ts';
import { FrameReader } from '../../src/server/frame-reader.ts';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('FramePool', () => {
  it('reuses a released buffer for the next large frame, never a small or foreign one', () => {
    const pool = new FramePool(2);
    const a = pool.take(900 * 1024);
    expect(a.buffer.byteLength).toBe(1024 * 1024);
    pool.release(a);
    expect(pool.freeCount).toBe(1);
    const b = pool.take(700 * 1024);
    expect(b.buffer).toBe(a.buffer);
    pool.release(b);
    pool.release(b); // twice: ignored, the buffer is free once
    expect(pool.freeCount).toBe(1);
    pool.release(Buffer.alloc(100_000)); // not issued by the pool
    pool.release(pool.take(100)); // small: plain allocation
    expect(pool.freeCount).toBe(1);
    expect(pool.take(9 * 1024 * 1024).buffer.byteLength).toBeLessThan(16 * 1024 * 1024); // above 8 MiB: plain
  });

  it('keeps at most maxFree buffers', () => {
    const pool = new FramePool(1);
    const x = pool.take(100_000);
    const y = pool.take(100_000);
    pool.release(x);
    pool.release(y);
    expect(pool.freeCount).toBe(1);
  });

  it('FrameReader joins a chunked large frame into pooled memory; the next frame reuses it with its own bytes', () => {
    const pool = new FramePool();
    const r = new FrameReader(4 << 20, pool);
    const one = Buffer.alloc(300_000, 1);
    const two = Buffer.alloc(200_000, 2);
    const bytes = Buffer.concat([frame(one), frame(two)]);
    for (let i = 0; i < bytes.length; i += 65_536) r.push(bytes.subarray(i, i + 65_536));
    const f1 = r.next();
    if (f1?.kind !== 'frame') throw new Error('expected a frame');
    expect(f1.frame.equals(one)).toBe(true);
    const mem = f1.frame.buffer;
    pool.release(f1.frame);
    const f2 = r.next();
    if (f2?.kind !== 'frame') throw new Error('expected a frame');
    expect(f2.frame.buffer).toBe(mem);
    expect(f2.frame.equals(two)).toBe(true);
  });
});
