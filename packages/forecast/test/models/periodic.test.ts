import { describe, expect, it } from 'vitest';
import { PeriodicModel } from '../../src/models/periodic.ts';

describe('PeriodicModel', () => {
  it('detects a 10-minute timer and expects it at multiples of the period after a miss', () => {
    const m = new PeriodicModel(0.01);
    for (let t = 0; t <= 100; t++) m.observe({ minute: t, count: t % 10 === 0 ? 1 : 0, instances: t % 10 === 0 ? 1 : 0 });
    expect(m.detectedPeriod).toBe(10);
    // idle times: ten 10s (window 16 holds all 10). h(10) = 10 / (10 + 0.5) = 0.952
    expect(m.pAny(110)).toBeCloseTo(10 / 10.5, 12);
    expect(m.pAny(105)).toBeCloseTo(0.005, 12); // floor
    // beyond every observed idle time: a missed firing -> the next multiple with the mode's share (1.0)
    expect(m.pAny(120)).toBe(1);
    expect(m.pAny(125)).toBeCloseTo(0.005, 12);
  });

  it('does not call irregular arrivals periodic', () => {
    const m = new PeriodicModel(0.01);
    const busy = new Set([0, 3, 11, 12, 30, 37, 55, 61, 80, 99]);
    for (let t = 0; t <= 100; t++) m.observe({ minute: t, count: busy.has(t) ? 1 : 0, instances: 1 });
    expect(m.detectedPeriod).toBe(0);
  });
});
