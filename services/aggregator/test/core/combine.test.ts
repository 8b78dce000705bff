import { describe, expect, it } from 'vitest';
import type { Contribution } from '../../src/core/combine.ts';
import { combine, convolve, correlatedVariance, pmfBounds } from '../../src/core/combine.ts';
import { thin } from '../../src/core/distribution.ts';
import { normalQuantile, twoSidedZ } from '../../src/core/normal.ts';
import { settings } from '../support/scenarios.ts';

const normalOnly = settings({ exactMaxUsers: 0, smallMean: 0, dominantShare: 1 });

function poissonish(mean: number, weight = 1): Contribution {
  // mean = variance (Poisson-like); the pmf is only used on the exact path
  return { mean, sd: Math.sqrt(mean), weight, pmf: Float64Array.of(1 - mean, mean) };
}

describe('normal quantile', () => {
  it.each([[0.5, 0], [0.95, 1.6448536], [0.975, 1.959964], [0.995, 2.5758293], [0.01, -2.3263479]])('Phi^-1(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });
  it('two-sided 0.9 -> the 95th percentile', () => expect(twoSidedZ(0.9)).toBeCloseTo(1.6448536, 6));
  it('rejects p outside (0, 1)', () => expect(() => normalQuantile(1)).toThrow(RangeError));
});

describe('correlatedVariance', () => {
  it('rho = 0: the sum of variances; rho = 1: the square of the summed sds', () => {
    expect(correlatedVariance([1, 2, 2], 0)).toBeCloseTo(9);
    expect(correlatedVariance([1, 2, 2], 1)).toBeCloseTo(25);
  });
  it('100 equal users, rho 0.01: x(1 + 0.01 x 99) = 1.99 the independent variance', () => {
    expect(correlatedVariance(Array(100).fill(1), 0.01)).toBeCloseTo(199);
  });
});

describe('convolve and pmfBounds', () => {
  it('two fair coins -> 0.25, 0.5, 0.25', () => {
    expect([...convolve([Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.5)], 1e6)!]).toEqual([0.25, 0.5, 0.25]);
  });
  it('gives up past the work budget', () => {
    expect(convolve([Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.5)], 3)).toBeUndefined();
  });
  it('bounds: largest k with P(S < k) <= alpha, smallest k with P(S <= k) >= 1 - alpha', () => {
    const pmf = Float64Array.of(0.04, 0.3, 0.4, 0.2, 0.06);
    expect(pmfBounds(pmf, 0.05)).toEqual({ lower: 1, upper: 4 });
    expect(pmfBounds(pmf, 0.1)).toEqual({ lower: 1, upper: 3 });
  });
  it('thinning Binomial: X = 2 surely, share 0.5 -> 0.25, 0.5, 0.25', () => {
    expect([...thin(Float64Array.of(0, 0, 1), 0.5)]).toEqual([0.25, 0.5, 0.25]);
  });
});

describe('combine', () => {
  it('normal path with continuity correction: mean 60, variance 60 -> [47, 73] (exact Poisson(60): [48, 73])', () => {
    const r = combine(Array.from({ length: 600 }, () => poissonish(0.1)), normalOnly);
    expect(r.method).toBe('normal');
    expect(r.statistical.mean).toBeCloseTo(60);
    expect(r.statistical.variance).toBeCloseTo(60);
    expect([r.statistical.lower, r.statistical.upper]).toEqual([47, 73]);
  });

  it('few users take the exact path: 2 users of Bernoulli(0.5), confidence 0.5 -> [1, 1]', () => {
    const coin: Contribution = { mean: 0.5, sd: 0.5, weight: 1, pmf: Float64Array.of(0.5, 0.5) };
    const r = combine([coin, coin], settings({ confidence: 0.5 }));
    expect(r.method).toBe('exact');
    // S is 0, 1, 2 with 0.25, 0.5, 0.25; alpha = 0.25: P(S < 1) = 0.25 <= alpha, P(S <= 1) = 0.75 >= 1 - alpha
    expect([r.statistical.lower, r.statistical.upper]).toEqual([1, 1]);
    // at confidence 0.9 (alpha 0.05) both tails must stay in: [0, 2]
    const wide = combine([coin, coin], settings());
    expect([wide.statistical.lower, wide.statistical.upper]).toEqual([0, 2]);
    // the exact shape is stretched to the target variance: rho = 1 doubles it, sd x1.41: upper 1 + 1.41 -> 3
    const corr = combine([coin, coin], settings({ correlation: 1 }));
    expect(corr.statistical.variance).toBeCloseTo(1);
    expect(corr.statistical.upper).toBe(3);
  });

  it('a dominant user forces the exact path even among many', () => {
    const many = Array.from({ length: 200 }, () => poissonish(0.01));
    const big: Contribution = { mean: 5, sd: 10, weight: 1, pmf: Float64Array.of(0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5) };
    expect(combine([...many, big], settings({ exactMaxUsers: 10, smallMean: 0 })).method).toBe('exact');
    expect(combine(many, settings({ exactMaxUsers: 10, smallMean: 0 })).method).toBe('normal');
  });

  it('no users: an empty band at zero', () => {
    const r = combine([], settings());
    expect(r.statistical).toEqual({ mean: 0, variance: 0, lower: 0, upper: 0 });
  });

  it('weights widen the published band around an unchanged mean; the statistical band ignores them', () => {
    const plain = combine(Array.from({ length: 600 }, () => poissonish(0.1)), normalOnly);
    const enterprise = combine(Array.from({ length: 600 }, () => poissonish(0.1, 1.5)), normalOnly);
    const free = combine(Array.from({ length: 600 }, () => poissonish(0.1, 0.5)), normalOnly);
    expect(enterprise.published.mean).toBeCloseTo(plain.published.mean);
    expect(enterprise.published.variance).toBeCloseTo(2.25 * plain.published.variance);
    expect(enterprise.statistical).toEqual(plain.statistical);
    // z sd = 1.645 x 7.75 = 12.7 above the mean of 60 (upper 73); x1.5 = 19.1 (upper 79); x0.5 = 6.4 (upper 66)
    expect(plain.published.upper).toBe(73);
    expect(enterprise.published.upper).toBe(79);
    expect(free.published.upper).toBe(66);
    expect(free.published.lower).toBe(54);
  });
});
