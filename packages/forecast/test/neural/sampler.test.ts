import { describe, expect, it } from 'vitest';
import { MAX_HORIZON } from '../../src/neural/config.ts';
import { prng, sampleBatch, windowEnds } from '../../src/neural/sampler.ts';

describe('windowEnds', () => {
  it.each([
    [1, 60, null],
    [2, 60, [0, 0]],
    [60, 60, [0, 58]],
    [61, 60, [59, 59]],
    [720, 60, [59, 718]],
  ])('len=%d W=%d -> %j', (len, w, want) => {
    expect(windowEnds(len, w)).toEqual(want);
  });
});

describe('sampleBatch', () => {
  it('gives every series the same number of windows whatever its volume', () => {
    const heavy = new Array<number>(200).fill(1000);
    const rare = new Array<number>(200).fill(0);
    rare[150] = 1;
    const b = sampleBatch([heavy, rare], [0, 1], 0, 100, 20, 0, prng(1));
    const heavyRows = Array.from(b.logCount).filter((v) => v > 5).length;
    expect(heavyRows).toBe(50);
  });

  it('masks horizon targets past the end of the series', () => {
    const s = [0, 1, 0, 1, 1];
    const b = sampleBatch([s], [0], 0, 8, 10, 0, prng(2));
    for (let j = 0; j < b.size; j++) {
      const mask = b.anyMask.subarray(j * MAX_HORIZON, (j + 1) * MAX_HORIZON);
      const known = mask.reduce((a, v) => a + v, 0);
      expect(known).toBeGreaterThanOrEqual(1);
      expect(known).toBeLessThanOrEqual(4); // ends 0..3 leave 4..1 future minutes
      expect(mask.subarray(known).every((v) => v === 0)).toBe(true);
    }
  });

  it('repeats exactly for a seed', () => {
    const s = Array.from({ length: 300 }, (_, i) => i % 7);
    const a = sampleBatch([s], [0], 0, 16, 30, 0, prng(9));
    const b = sampleBatch([s], [0], 0, 16, 30, 0, prng(9));
    expect(b.seq).toEqual(a.seq);
    expect(b.any).toEqual(a.any);
  });
});
