import { describe, expect, it } from 'vitest';
import { choleskySolve, fitLogistic, sigmoid } from '../../src/models/logistic.ts';
import { CombinerSamples } from '../../src/models/combiner-samples.ts';

/** deterministic uniform [0, 1) (Park-Miller) and a standard normal from it (Box-Muller) */
function prng(seed: number): { u: () => number; n: () => number } {
  let s = seed;
  const u = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  return { u, n: () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u()) };
}

/** rows with logit P(y) = -3 + 1.5 x1 - 0.8 x2 (x1 normal, x2 0/1): rare positives like idle minutes */
function synthetic(n: number, add: (x: Float64Array, y: boolean, i: number) => void): void {
  const r = prng(11);
  for (let i = 0; i < n; i++) {
    const x = Float64Array.of(1, r.n(), r.u() < 0.5 ? 1 : 0);
    const p = sigmoid(-3 + 1.5 * (x[1] ?? 0) - 0.8 * (x[2] ?? 0));
    add(x, r.u() < p, i);
  }
}

describe('fitLogistic', () => {
  it('recovers known coefficients from weighted rows', () => {
    const rows = new CombinerSamples(3, 1 << 20, 1);
    synthetic(100_000, (x, y, i) => rows.add(0, i, x, y));
    const b = fitLogistic(rows.rows(), { l2: 0 });
    // standard errors at n = 1e5 with ~9 % positives are ~0.02-0.03
    expect(b[0]).toBeCloseTo(-3, 1);
    expect(b[1]).toBeCloseTo(1.5, 1);
    expect(b[2]).toBeCloseTo(-0.8, 1);
  });

  it('keeps the intercept when 15 of 16 idle rows are dropped and the rest weighted 16', () => {
    const rows = new CombinerSamples(3, 1 << 20, 16);
    synthetic(200_000, (x, y, i) => rows.add(i % 97, Math.floor(i / 97), x, y));
    expect(rows.size).toBeLessThan(200_000 * 0.2);
    const b = fitLogistic(rows.rows(), { l2: 0 });
    // unweighted, the intercept would move by ln 16 = 2.8
    expect(b[0]).toBeCloseTo(-3, 0);
    expect(Math.abs((b[0] ?? 0) + 3)).toBeLessThan(0.15);
    expect(Math.abs((b[1] ?? 0) - 1.5)).toBeLessThan(0.1);
    expect(Math.abs((b[2] ?? 0) + 0.8)).toBeLessThan(0.1);
  });

  it('the ridge shrinks every coefficient but the intercept', () => {
    const rows = new CombinerSamples(3, 1 << 20, 1);
    synthetic(2_000, (x, y, i) => rows.add(0, i, x, y));
    const free = fitLogistic(rows.rows(), { l2: 0 });
    const shrunk = fitLogistic(rows.rows(), { l2: 1e6 });
    expect(Math.abs(shrunk[1] ?? 1)).toBeLessThan(0.01);
    expect(Math.abs(free[1] ?? 0)).toBeGreaterThan(1);
    // with the slopes at ~0 the intercept is the logit of the positive share
    const share = Array.from(rows.rows().y.subarray(0, rows.size)).reduce((a, v) => a + v, 0) / rows.size;
    expect(shrunk[0]).toBeCloseTo(Math.log(share / (1 - share)), 1);
  });
});

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], z = [1, -1, 2] -> b = A z = [2, -1, 5]
    const z = choleskySolve(Float64Array.of(4, 2, 0, 2, 5, 1, 0, 1, 3), Float64Array.of(2, -1, 5), 3);
    expect(Array.from(z).map((v) => Number(v.toFixed(9)))).toEqual([1, -1, 2]);
  });
});

describe('CombinerSamples', () => {
  it('stays within its cap and keeps the total weight when it thins', () => {
    const s = new CombinerSamples(1, 64, 1);
    for (let i = 0; i < 1000; i++) s.add(0, i, Float64Array.of(1), true);
    expect(s.size).toBeLessThanOrEqual(64);
    const total = Array.from(s.rows().w.subarray(0, s.size)).reduce((a, v) => a + v, 0);
    // 64 rows stand for 1000 (without the doubling the total would be 64); the gap is the rows
    // offered since the last kept one (< 16 after 4 thinnings) and partial groups at each thinning
    expect(Math.abs(total - 1000)).toBeLessThanOrEqual(64);
  });

  it('keeps every minute with a request and a fixed 1 in 16 of the idle ones, the same on every run', () => {
    const pick = (): number[] => {
      const s = new CombinerSamples(1, 1 << 16, 16);
      const kept: number[] = [];
      for (let t = 0; t < 1600; t++) {
        const before = s.size;
        s.add(3, t, Float64Array.of(t), t % 100 === 0);
        if (s.size > before) kept.push(t);
      }
      return kept;
    };
    const a = pick();
    expect(a).toEqual(pick());
    for (let t = 0; t < 1600; t += 100) expect(a).toContain(t);
    expect(a.length).toBeGreaterThan(16 + 60);
    expect(a.length).toBeLessThan(16 + 140);
  });
});
