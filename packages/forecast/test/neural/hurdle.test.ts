import { describe, expect, it } from 'vitest';
import { QUANTILE_GRID } from '../../src/neural/config.ts';
import { hurdleQuantile } from '../../src/neural/hurdle.ts';

// log1p-quantiles of the positive count at the grid levels: 1, 2, 3, 5, 9, 14, 19, 24, 49 calls.
const counts = [1, 2, 3, 5, 9, 14, 19, 24, 49];
const logQ = counts.map((c) => Math.log1p(c));

describe('hurdleQuantile', () => {
  it.each([
    // p, tau, expected: tau <= 1 - p is the zero mass
    [0.8, 0.1, 0],
    [0.8, 0.19, 0],
    // (0.6 - 0.2) / 0.8 = 0.5 -> the conditional median, 9
    [0.8, 0.6, 9],
    // p = 1: the conditional quantile itself; 0.25 is a grid level -> 5
    [1, 0.25, 5],
    // below the first and above the last grid level: held flat
    [1, 0.001, 1],
    [1, 0.999, 49],
  ])('p=%d tau=%d -> %d', (p, tau, want) => {
    expect(hurdleQuantile(p, logQ, tau)).toBeCloseTo(want, 9);
  });

  it('interpolates in log1p space between grid levels', () => {
    // level 0.625 is halfway between 0.5 (9) and 0.75 (14): expm1((ln 10 + ln 15) / 2) = sqrt(150) - 1
    expect(hurdleQuantile(1, logQ, 0.625)).toBeCloseTo(Math.sqrt(150) - 1, 9);
  });

  it('is monotone in the level', () => {
    let prev = -1;
    for (let tau = 0.005; tau < 1; tau += 0.005) {
      const q = hurdleQuantile(0.37, logQ, tau);
      expect(q).toBeGreaterThanOrEqual(prev);
      prev = q;
    }
    expect(QUANTILE_GRID).toHaveLength(logQ.length);
  });
});
