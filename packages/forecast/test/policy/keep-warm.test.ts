import { describe, expect, it } from 'vitest';
import { SizeDistribution } from '../../src/models/size-distribution.ts';
import { RARITY_WEIGHT, instancesToWarm, warmThreshold } from '../../src/policy/keep-warm.ts';

describe('warmThreshold', () => {
  it('equals the knob for a 150 MB function that is always active (rarity factor ~1)', () => {
    // activeShare 1 -> factor 1 + 2 / 60 = 1.0333; lambda = 150 * 0.9 / 0.1 * 1.0333 = 1395;
    // theta = 150 / (150 + 1395) = 0.0971
    expect(RARITY_WEIGHT).toBe(2);
    expect(warmThreshold(0.1, 150, 1)).toBeCloseTo(150 / (150 + 1350 * (1 + 2 / 60)), 12);
  });
  it('asks more of big functions and less of rare ones', () => {
    expect(warmThreshold(0.1, 600, 1)).toBeGreaterThan(warmThreshold(0.1, 150, 1));
    // active 1 minute an hour: factor 1 + 2 / 1 = 3 -> theta = 150 / (150 + 4050) = 0.0357
    expect(warmThreshold(0.1, 150, 1 / 60)).toBeCloseTo(150 / (150 + 4050), 12);
  });
  it('rejects a knob outside (0, 1)', () => {
    expect(() => warmThreshold(0, 150)).toThrow(RangeError);
    expect(() => warmThreshold(1, 150)).toThrow(RangeError);
  });
});

describe('instancesToWarm', () => {
  it('warms the largest k with P(r >= k) >= theta', () => {
    const s = new SizeDistribution();
    // sizes | any: instances 1,1,2,2,2,3,3,5 -> P(>=2|any) = 6/8, P(>=3|any) = 3/8, P(>=4) = 1/8, P(>=6) = 0
    for (const k of [1, 1, 2, 2, 2, 3, 3, 5]) s.add(10, k);
    // pAny 0.8: P(r>=1)=0.8, P(>=2)=0.6, P(>=3)=0.3, P(>=4)=0.1, P(>=5)=0.1, P(>=6)=0
    expect(instancesToWarm(0.8, s, 0.9)).toBe(0);
    expect(instancesToWarm(0.8, s, 0.7)).toBe(1);
    expect(instancesToWarm(0.8, s, 0.5)).toBe(2);
    expect(instancesToWarm(0.8, s, 0.2)).toBe(3);
    expect(instancesToWarm(0.8, s, 0.05)).toBe(5);
  });
});
