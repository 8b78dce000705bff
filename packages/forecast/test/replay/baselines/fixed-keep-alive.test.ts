import { describe, expect, it } from 'vitest';
import { fixedKeepAlive } from '../../../src/replay/baselines/fixed-keep-alive.ts';

describe('fixedKeepAlive', () => {
  it('warms the max of r over the previous K minutes (hand-computed)', () => {
    const r = [Int32Array.from([2, 0, 0, 1, 0, 0, 0, 3, 0])];
    // K = 1: w[t] = r[t-1]                    -> [0,2,0,0,1,0,0,0,3]
    // K = 3: w[t] = max r[t-3..t-1]           -> t0:0 t1:2 t2:2 t3:2 t4:1 t5:1 t6:1 t7:0 t8:3
    expect(Array.from(fixedKeepAlive(r, 1)[0] ?? [])).toEqual([0, 2, 0, 0, 1, 0, 0, 0, 3]);
    expect(Array.from(fixedKeepAlive(r, 3)[0] ?? [])).toEqual([0, 2, 2, 2, 1, 1, 1, 0, 3]);
  });
  it('matches a naive window maximum on a longer series', () => {
    const row = Int32Array.from({ length: 300 }, (_, i) => ((i * 7919) % 13 < 4 ? (i * 31) % 5 : 0));
    for (const K of [1, 5, 10, 60]) {
      const w = fixedKeepAlive([row], K)[0] ?? new Int32Array(0);
      for (let t = 0; t < row.length; t++) {
        let m = 0;
        for (let s = Math.max(0, t - K); s < t; s++) m = Math.max(m, row[s] ?? 0);
        expect(w[t]).toBe(m);
      }
    }
  });
  it('rejects K < 1', () => expect(() => fixedKeepAlive([], 0)).toThrow(RangeError));
});
