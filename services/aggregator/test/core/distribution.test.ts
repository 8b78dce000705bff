import { describe, expect, it } from 'vitest';
import { continuousMoments, countPmf, pmfMoments, thin, thinMoments } from '../../src/core/distribution.ts';
import { bernoulliGeometric, heavyTail, moments, poisson, quantile } from '../support/synthetic.ts';
import type { Dist } from '../support/synthetic.ts';

function qs(d: Dist): { p10: number; p50: number; p90: number; p99: number } {
  return { p10: quantile(d, 0.1), p50: quantile(d, 0.5), p90: quantile(d, 0.9), p99: quantile(d, 0.99) };
}

describe('countPmf: a count distribution from four quantiles and pAny', () => {
  it('Poisson(0.3): P(0) = 1 - pAny exactly, P(<= 1) = 0.968 (true 0.963), sums to 1', () => {
    const p = countPmf({ p10: 0, p50: 0, p90: 1, p99: 2 }, 1 - Math.exp(-0.3));
    expect(p[0]).toBeCloseTo(Math.exp(-0.3), 12);
    expect((p[0] ?? 0) + (p[1] ?? 0)).toBeCloseTo(0.968, 3);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  // [name, dist, mean tolerance, variance tolerance]: the rebuilt pmf vs the true moments
  it.each([
    ['Poisson(0.3)', poisson(0.3), 0.03, 0.06],
    ['Poisson(1.5)', poisson(1.5), 0.11, 0.1],
    ['Poisson(4)', poisson(4), 0.03, 0.03],
    ['Poisson(20) (variance 1.3x)', poisson(20), 0.03, 0.31],
    ['Bernoulli(0.3) x geometric(mean 3)', bernoulliGeometric(0.3, 3), 0.03, 0.03],
    ['Bernoulli(0.95) x geometric(mean 6)', bernoulliGeometric(0.95, 6), 0.03, 0.03],
    // Four quantiles cannot carry a Pareto tail past p99: the variance comes out at about half.
    // That is why the profiler sends concurrentMean/concurrentVariance, which take precedence.
    ['Bernoulli(0.5) x Pareto(2.2) (variance 0.48x)', heavyTail(0.5, 2.2, 200), 0.08, 0.55],
  ] as const)('%s: rebuilt mean and variance within the stated tolerance of the truth', (_name, d, tm, tv) => {
    const m = moments(d);
    const r = pmfMoments(countPmf(qs(d), 1 - (d.pmf[0] ?? 0)));
    expect(Math.abs(r.mean / m.mean - 1)).toBeLessThan(tm);
    expect(Math.abs(r.variance / m.variance - 1)).toBeLessThan(tv);
  });

  it('pAny = 0: all mass at zero', () => {
    expect([...countPmf({ p10: 0, p50: 0, p90: 0, p99: 0 }, 0)]).toEqual([1]);
  });

  it('stops at maxSupport with the remainder in the last cell', () => {
    const p = countPmf({ p10: 100, p50: 200, p90: 300, p99: 400 }, 1, 50);
    expect(p.length).toBe(50);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('thinning', () => {
  it('pmf thinning matches the moment formula (mean s mu, variance s^2 sigma^2 + s (1 - s) mu)', () => {
    const pmf = Float64Array.from(poisson(3).pmf.map((_, k, a) => a[k] as number));
    const m = pmfMoments(pmf);
    const t = pmfMoments(thin(pmf, 0.4));
    const f = thinMoments(m, 0.4);
    expect(t.mean).toBeCloseTo(f.mean, 9);
    expect(t.variance).toBeCloseTo(f.variance, 9);
    expect(t.variance).toBeCloseTo(1.2, 6); // thinned Poisson(3) is Poisson(1.2)
  });
});

describe('continuousMoments', () => {
  it('always busy, quantiles of Uniform(0, 10): mean ~5, variance ~8.3', () => {
    const m = continuousMoments({ p10: 1, p50: 5, p90: 9, p99: 9.9 }, 1);
    expect(m.mean).toBeCloseTo(5, 0);
    expect(m.variance).toBeGreaterThan(7.5);
    expect(m.variance).toBeLessThan(9.5);
  });
  it('idle 80 % of the time: mass at zero pulls the mean down by the same factor', () => {
    const busy = continuousMoments({ p10: 1, p50: 5, p90: 9, p99: 9.9 }, 1);
    // levels 0.1 and 0.5 fall in the zero mass; the busy part is spread from 0 to p90/p99
    const m = continuousMoments({ p10: 0, p50: 0, p90: 5, p99: 9.9 }, 0.2);
    expect(m.mean).toBeLessThan(busy.mean * 0.3);
    expect(m.mean).toBeGreaterThan(0);
  });
});
