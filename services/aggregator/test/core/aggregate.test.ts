import { describe, expect, it } from 'vitest';
import type { UserForecast } from '@warmcast/kit';
import { aggregateWindow } from '../../src/core/aggregate.ts';
import { aggregate, mixedUsers, POOL_A, POOL_B, settings, simulate, TICK } from '../support/scenarios.ts';
import { empiricalQuantile, forecastOf, poisson } from '../support/synthetic.ts';
import type { SynthUser } from '../support/synthetic.ts';

const user = (key: string, over: Partial<SynthUser> = {}): SynthUser => ({ key, dist: poisson(1), poolMix: { [POOL_A]: 1 }, tier: 'STANDARD', cores: 1, mib: 512, ...over });

describe('aggregateWindow', () => {
  it('one demand record per pool x horizon and one cluster record per horizon, keyed and windowed', () => {
    const fs = [forecastOf(user('a'), TICK, { horizons: [5, 15] }), forecastOf(user('b', { poolMix: { [POOL_B]: 1 } }), TICK, { horizons: [5, 15] })];
    const out = aggregateWindow({ windowStart: TICK, forecasts: fs }, settings(), new Set());
    expect(out.demand.map((d) => [d.key, d.value.horizonMinutes])).toEqual([[POOL_B, 5], [POOL_A, 5], [POOL_B, 15], [POOL_A, 15]]);
    const d = out.demand[1]!.value;
    expect(d).toMatchObject({ pool: { runtime: 'python3.12', sizeClass: 'M' }, horizonMinutes: 5, userCount: 1, confidence: 0.9, windowStart: TICK, windowEnd: TICK + 60_000 });
    expect(d.mean).toBeCloseTo(1);
    expect(out.cluster.map((c) => [c.key, c.value.horizonMinutes, c.value.userCount])).toEqual([['test', 5, 2], ['test', 15, 2]]);
  });

  it('pools published before and empty now get an explicit zero (so the scaler can scale in)', () => {
    const out = aggregateWindow({ windowStart: TICK, forecasts: [forecastOf(user('a'), TICK)] }, settings(), new Set(['go1.22/L']));
    const zero = out.demand.find((d) => d.key === 'go1.22/L')!.value;
    expect(zero).toMatchObject({ mean: 0, variance: 0, lowerBound: 0, upperBound: 0, userCount: 0 });
  });

  it('a user split 0.6/0.4 contributes thinned moments to each pool: mean s mu, variance s^2 sigma^2 + s (1 - s) mu', () => {
    const out = aggregate([user('a', { dist: poisson(5), poolMix: { [POOL_A]: 3, [POOL_B]: 2 } })], settings()); // shares normalised
    const a = out.demand.find((d) => d.key === POOL_A)!.value;
    const b = out.demand.find((d) => d.key === POOL_B)!.value;
    expect(a.mean).toBeCloseTo(3, 6);
    expect(a.variance).toBeCloseTo(0.36 * 5 + 0.24 * 5, 6); // Poisson(5) thinned by 0.6 is Poisson(3)
    expect(b.mean).toBeCloseTo(2, 6);
  });

  it('malformed pool keys and empty mixes are counted, not published; the user still counts in cluster load', () => {
    const fs: UserForecast[] = [
      forecastOf(user('a', { poolMix: { 'nosize': 1 } }), TICK),
      forecastOf(user('b', { poolMix: {} }), TICK),
      forecastOf(user('c'), TICK),
    ];
    const out = aggregateWindow({ windowStart: TICK, forecasts: fs }, settings(), new Set());
    expect(out.counts).toMatchObject({ badPoolKeys: 1, noPoolMix: 1, users: 3 });
    expect(out.demand.map((d) => d.key)).toEqual([POOL_A]);
    expect(out.cluster[0]?.value.userCount).toBe(3);
  });

  it('unusable profiler moments (NaN, negative) fall back to the pmf rebuilt from the quantiles', () => {
    const good = forecastOf(user('a'), TICK);
    const bad: UserForecast = { ...good, horizons: good.horizons.map((h) => ({ ...h, concurrentMean: Number.NaN, concurrentVariance: -1 })) };
    const noMoments = forecastOf(user('a'), TICK, { moments: false });
    const got = aggregateWindow({ windowStart: TICK, forecasts: [bad] }, settings(), new Set()).demand[0]!.value;
    const want = aggregateWindow({ windowStart: TICK, forecasts: [noMoments] }, settings(), new Set()).demand[0]!.value;
    expect(got).toEqual(want);
    expect(Number.isFinite(got.mean)).toBe(true);
  });

  it('weights: an all-ENTERPRISE population gets a wider published band than an all-FREE one, same mean', () => {
    const mk = (tier: SynthUser['tier']): SynthUser[] => Array.from({ length: 100 }, (_, i) => user(`u${i}`, { tier }));
    const ent = aggregate(mk('ENTERPRISE'), settings()).demand[0]!.value;
    const free = aggregate(mk('FREE'), settings()).demand[0]!.value;
    expect(ent.mean).toBeCloseTo(free.mean, 9);
    expect(ent.variance).toBeCloseTo(9 * free.variance, 6); // (1.5 / 0.5)^2
    expect(ent.upperBound - ent.mean).toBeGreaterThan(2.5 * (free.upperBound - free.mean));
  });
});

describe('cluster load vs sampling', () => {
  // 300 mixed users; each busy instance needs 0.5-1.5 cores and 256-1024 MiB.
  const users = mixedUsers(300, 1);
  const sim = simulate(users, 10_000, 2);
  const c = aggregate(users, settings()).cluster[0]!.value;
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('means within 5 % of the simulated means (the quantile-built continuous moments are approximate)', () => {
    expect(Math.abs(c.cpuCoresMean / mean(sim.cpu) - 1)).toBeLessThan(0.05);
    expect(Math.abs(c.memoryMbMean / mean(sim.mib) - 1)).toBeLessThan(0.05);
  });

  it('upper bounds hold at least 93 % of the simulated loads (nominal 95 %) and sit within 5 % of the empirical 95th percentile', () => {
    const within = (xs: readonly number[], u: number): number => xs.filter((x) => x <= u).length / xs.length;
    expect(within(sim.cpu, c.cpuCoresUpper)).toBeGreaterThanOrEqual(0.93);
    expect(within(sim.mib, c.memoryMbUpper)).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(c.cpuCoresUpper / empiricalQuantile(sim.cpu, 0.95) - 1)).toBeLessThan(0.05);
    expect(Math.abs(c.memoryMbUpper / empiricalQuantile(sim.mib, 0.95) - 1)).toBeLessThan(0.05);
  });

  it('the correlation term widens the cluster band too', () => {
    const corr = aggregate(users, settings({ correlation: 0.05 })).cluster[0]!.value;
    expect(corr.cpuCoresMean).toBeCloseTo(c.cpuCoresMean, 9);
    expect(corr.cpuCoresVariance).toBeGreaterThan(5 * c.cpuCoresVariance);
  });
});
