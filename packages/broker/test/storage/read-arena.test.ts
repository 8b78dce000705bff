import { describe, expect, it } from 'vitest';
import { ReadArena } from '../../src/storage/read-arena.ts';

describe('ReadArena', () => {
  it('starts empty: the first round gets plain buffers, the next round is served from one grown buffer', () => {
    const a = new ReadArena();
    expect(a.capacity).toBe(0);
    const first = a.alloc(100_000);
    expect(first.length).toBe(100_000);
    a.reset();
    expect(a.capacity).toBe(128 * 1024); // next power of two from 64 KiB covering 100,000
    const x = a.alloc(60_000);
    const y = a.alloc(60_000);
    expect(x.buffer).toBe(y.buffer);
    expect(y.byteOffset - x.byteOffset).toBe(60_000);
    expect(a.alloc(20_000).buffer).not.toBe(x.buffer); // does not fit: plain allocation
  });

  it('views of one round do not overlap; trim gives back only the tail of the latest view', () => {
    const a = new ReadArena(1024);
    const x = a.alloc(300);
    a.trim(x, 100);
    const y = a.alloc(300);
    expect(y.byteOffset - x.byteOffset).toBe(100);
    a.trim(x, 0); // not the latest: ignored
    const z = a.alloc(100);
    expect(z.byteOffset - y.byteOffset).toBe(300);
    x.fill(1, 0, 100);
    y.fill(2);
    z.fill(3);
    expect(x.subarray(0, 100).every((b) => b === 1)).toBe(true);
  });

  it('reset reuses the memory from the start and caps growth at maxBytes', () => {
    const a = new ReadArena(1024);
    const x = a.alloc(512);
    a.reset();
    expect(a.alloc(512).byteOffset).toBe(x.byteOffset);
    a.alloc(10_000_000);
    a.reset(4 * 1024 * 1024);
    expect(a.capacity).toBe(4 * 1024 * 1024);
  });
});
