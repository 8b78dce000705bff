// Combination vs sampling on synthetic users with known distributions (seeded, so every run
// draws the same numbers). Each tail of the 0.9 band must hold 5 % of the simulated totals
// within 2 points: with 10 000 draws the standard error of a 5 % share is 0.22 points, so the
// tolerance is ~9 standard errors of sampling noise and what it checks is the method.
import { describe, expect, it } from 'vitest';
import { aggregate, correlatedUsers, heavyFewUsers, mixedUsers, POOL_A, POOL_B, settings, simulate, tails } from '../support/scenarios.ts';
import { empiricalQuantile, forecastOf } from '../support/synthetic.ts';

const TAIL = 0.05;
const TOL = 0.02;

function expectCalibrated(sorted: readonly number[], band: { lower: number; upper: number }, maxCoverage = 0.9 + 2 * TOL): void {
  const t = tails(sorted, band.lower, band.upper);
  expect(t.above).toBeLessThanOrEqual(TAIL + TOL);
  expect(t.below).toBeLessThanOrEqual(TAIL + TOL);
  // and not uselessly wide: whole-instance bounds are conservative, but not by more than 2 points per tail
  expect(1 - t.above - t.below).toBeLessThanOrEqual(maxCoverage);
}

describe('pool bands vs simulated totals', () => {
  const users = mixedUsers(300, 1); // Poisson, Bernoulli x geometric, Bernoulli x Pareto(2.5), a third each
  const sim = simulate(users, 10_000, 2);

  it('300 mixed independent users, two pools (30 % of users split 0.6/0.4): normal approximation is calibrated', () => {
    const out = aggregate(users, settings());
    for (const pool of [POOL_A, POOL_B]) {
      const b = out.bands.find((x) => x.poolKey === pool);
      expect(b?.method).toBe('normal');
      expectCalibrated(sim.pools.get(pool) ?? [], b!.statistical);
    }
  });

  it('without the profiler moments (pmfs rebuilt from quantiles and pAny) it stays calibrated and the mean within 3 %', () => {
    const withMoments = aggregate(users, settings());
    const without = aggregate(users, settings(), { moments: false });
    for (const pool of [POOL_A, POOL_B]) {
      const a = withMoments.bands.find((x) => x.poolKey === pool)!;
      const b = without.bands.find((x) => x.poolKey === pool)!;
      expect(Math.abs(b.statistical.mean / a.statistical.mean - 1)).toBeLessThan(0.03);
      expectCalibrated(sim.pools.get(pool) ?? [], b.statistical);
    }
  });

  it('summing per-user quantiles is far too wide on the same data', () => {
    const hs = users.map((u) => forecastOf(u, 0).horizons[0]!);
    const q05 = empiricalQuantile(sim.total, 0.05);
    const q95 = empiricalQuantile(sim.total, 0.95);
    const sumP90 = hs.reduce((a, h) => a + h.concurrentInstances.p90, 0);
    const sumP10 = hs.reduce((a, h) => a + h.concurrentInstances.p10, 0);
    // Even the users' 90th percentiles add up to far more than the 95th percentile of the total
    // (499 vs 211 on this seed) and their 10th percentiles to far less than its 5th (0 vs 147).
    expect(sumP90).toBeGreaterThan(2 * q95);
    expect(sumP10).toBeLessThan(0.5 * q05);
    // while each pool's combined upper bound sits on that pool's empirical 95th percentile
    const out = aggregate(users, settings());
    for (const b of out.bands) expect(Math.abs(b.statistical.upper - empiricalQuantile(sim.pools.get(b.poolKey) ?? [], 0.95))).toBeLessThanOrEqual(2);
  });
});

describe('few heavy-tailed users', () => {
  const users = heavyFewUsers(3); // 8 Bernoulli x Pareto(2.2) and 4 Bernoulli x geometric
  const sim = simulate(users, 20_000, 4);
  const sorted = sim.pools.get(POOL_A) ?? [];

  it('uses exact convolution and is calibrated', () => {
    const b = aggregate(users, settings()).bands[0]!;
    expect(b.method).toBe('exact');
    // Totals of ~10 instances: one count holds several percent of the mass, so whole-instance
    // bounds can only be conservative in steps that size (coverage 0.953 on this seed).
    expectCalibrated(sorted, b.statistical, 0.96);
  });

  it('is calibrated from quantiles and pAny alone too', () => {
    const b = aggregate(users, settings(), { moments: false }).bands[0]!;
    expectCalibrated(sorted, b.statistical);
  });

  it('where the normal approximation misses the skew (upper tail above 5 % + tolerance / 2)', () => {
    const exact = aggregate(users, settings()).bands[0]!;
    const normal = aggregate(users, settings({ exactMaxUsers: 0, smallMean: 0, dominantShare: 1 })).bands[0]!;
    expect(normal.method).toBe('normal');
    expect(tails(sorted, normal.statistical.lower, normal.statistical.upper).above).toBeGreaterThan(TAIL + TOL / 2);
    expect(tails(sorted, exact.statistical.lower, exact.statistical.upper).above).toBeLessThanOrEqual(TAIL);
  });
});

describe('correlated users (shared busy-period factor)', () => {
  // Poisson(lambda_i G), G ~ Gamma(mean 1, variance 1/4): pairwise covariance lambda_i lambda_j / 4.
  const { users, lambdas, rho } = correlatedUsers(200, 5, 4);
  const sorted = simulate(users, 10_000, 6, { lambdas, k: 4 }).pools.get(POOL_A) ?? [];

  it('with the effective rho the band is calibrated', () => {
    expect(rho).toBeGreaterThan(0.1);
    const b = aggregate(users, settings({ correlation: rho })).bands[0]!;
    expectCalibrated(sorted, b.statistical);
  });

  it('assuming independence (rho = 0) the band is far too narrow', () => {
    const b = aggregate(users, settings({ correlation: 0 })).bands[0]!;
    const t = tails(sorted, b.statistical.lower, b.statistical.upper);
    expect(t.above).toBeGreaterThan(0.25); // ~32 % of totals above a "95th percentile"
  });
});
