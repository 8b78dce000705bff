import { describe, expect, it } from 'vitest';
import { windowForecast } from '../../src/core/window-forecast.ts';

describe('windowForecast', () => {
  it('matches the hand-computed peak-instance distribution (p = 0.5 in 2 minutes, sizes {1, 3})', () => {
    const [w] = windowForecast([0.5, 0.5], [1, 2], [1, 3], [2]);
    // P(I >= 1) = 1 - 0.5^2 = 0.75; P(I >= 3) = 1 - (1 - 0.5 x 0.5)^2 = 0.4375
    expect(w?.pAny).toBeCloseTo(0.75, 12);
    expect(w?.instanceMean).toBeCloseTo(0.75 + 2 * 0.4375, 12);
    // E[I^2] = 1 x 0.75 + (9 - 1) x 0.4375 = 4.25
    expect(w?.instanceVariance).toBeCloseTo(4.25 - 1.625 ** 2, 12);
    // CDF: P(I = 0) = 0.25, P(I <= 1) = 0.5625, P(I <= 3) = 1
    expect(w?.instances).toEqual([0, 1, 3, 3]);
  });

  it('gives zero requests below P(none) and at least one above it', () => {
    const [w] = windowForecast([0.05], [4], [1], [1]);
    expect(w?.requests[0]).toBe(0); // p10 <= P(none) = 0.95
    expect(w?.requests[3]).toBe(4); // p99: the only size
  });

  it('keeps quantiles ordered and pAny growing with the horizon', () => {
    const p = Array.from({ length: 120 }, (_, k) => 0.02 + 0.3 * Math.abs(Math.sin(k / 7)));
    const ws = windowForecast(p, [1, 1, 2, 3, 5, 8, 13], [1, 1, 1, 2, 2, 4, 6], [5, 15, 30, 120]);
    let prevAny = 0;
    for (const w of ws) {
      for (const q of [w.requests, w.instances]) for (let i = 1; i < 4; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1] ?? 0);
      expect(w.pAny).toBeGreaterThanOrEqual(prevAny);
      prevAny = w.pAny;
      expect(w.instanceMean).toBeGreaterThan(0);
      expect(w.instanceMean).toBeLessThanOrEqual(6);
      expect(w.instanceVariance).toBeGreaterThanOrEqual(0);
    }
  });
});
