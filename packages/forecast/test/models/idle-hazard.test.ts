import { describe, expect, it } from 'vitest';
import { IdleHazardModel } from '../../src/models/idle-hazard.ts';

function feed(m: { observe: (o: { minute: number; count: number; instances: number }) => void }, busy: number[], until: number): void {
  const set = new Set(busy);
  for (let t = 0; t <= until; t++) m.observe({ minute: t, count: set.has(t) ? 1 : 0, instances: set.has(t) ? 1 : 0 });
}

describe('IdleHazardModel', () => {
  it('returns the prior before any history', () => {
    expect(new IdleHazardModel(0.03).pAny(0)).toBeCloseTo(0.03, 12);
  });

  it('computes the smoothed hazard of the idle-time histogram (hand-computed)', () => {
    // busy at 0, 5, 10, 15: idle times [5, 5, 5]; observed minutes 0..15 = 16, active 4.
    // base = (4 + 2 * 0) / (16 + 2) = 0.2222 (prior 0).
    // h(5) = (3 + base) / (3 + 1) = 0.8056; h(3) = (0 + base) / (3 + 1) = 0.0556; h(6) = base / (0 + 1) = 0.2222
    const m = new IdleHazardModel(0);
    feed(m, [0, 5, 10, 15], 15);
    const base = 4 / 18;
    expect(m.baseRate()).toBeCloseTo(base, 12);
    expect(m.pAny(20)).toBeCloseTo((3 + base) / 4, 12);
    expect(m.pAny(18)).toBeCloseTo(base / 4, 12);
    expect(m.pAny(21)).toBeCloseTo(base / 1, 12);
    // asking out of order still works (the running sum is reset)
    expect(m.pAny(18)).toBeCloseTo(base / 4, 12);
  });
});
