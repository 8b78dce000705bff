import { describe, expect, it } from 'vitest';
import { SizeDistribution, SIZE_WINDOW } from '../../src/models/size-distribution.ts';

describe('SizeDistribution', () => {
  it('gives P(instances >= k | any) from the last 32 non-zero minutes', () => {
    const s = new SizeDistribution();
    s.add(0, 0); // zero minutes are not sizes
    for (const r of [1, 2, 2, 4]) s.add(3, r);
    expect(s.size).toBe(4);
    expect(s.instancesAtLeast(1)).toBe(1);
    expect(s.instancesAtLeast(2)).toBe(0.75);
    expect(s.instancesAtLeast(3)).toBe(0.25);
    expect(s.instancesAtLeast(5)).toBe(0);
    // the window forgets: 32 more minutes with r = 1
    for (let i = 0; i < SIZE_WINDOW; i++) s.add(1, 1);
    expect(s.instancesAtLeast(2)).toBe(0);
  });

  it('gives hurdle quantiles: 0 below 1 - pAny, then the conditional size', () => {
    const s = new SizeDistribution();
    for (const c of [1, 2, 3, 4]) s.add(c, 1);
    // pAny 0.5: q <= 0.5 -> 0; q = 0.75 -> conditional 0.5 -> 2nd of [1,2,3,4] = 2; q = 1 -> 4
    expect(s.quantile(0.5, 0.5, 'count')).toBe(0);
    expect(s.quantile(0.75, 0.5, 'count')).toBe(2);
    expect(s.quantile(1, 0.5, 'count')).toBe(4);
    expect(s.quantile(0.9, 0.5, 'instances')).toBe(1);
  });
});
