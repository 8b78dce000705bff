// Synthetic users with known count distributions, and a seeded PRNG to sample them.
// "As the profiler would": each user's forecast carries the exact quantiles (smallest k with
// F(k) >= p), pAny = 1 - P(0), and the exact mean and variance of its distribution.
import type { UserForecast, Tier } from '@warmcast/kit';
import { seededRandom } from '@warmcast/testkit';

/** mulberry32 (seeded, uniform in [0, 1)): the testkit's. */
export const prng = seededRandom;

export function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Marsaglia-Tsang, shape k >= 1, scale 1/k: mean 1, variance 1/k. */
export function gammaMeanOne(rand: () => number, k: number): number {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / k;
  }
}

export function poissonDraw(rand: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > l) {
    k += 1;
    p *= rand();
  }
  return k;
}

export function binomialDraw(rand: () => number, n: number, s: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < s) k += 1;
  return k;
}

/** A count distribution as an explicit pmf (cut where < 1e-12 is left). */
export interface Dist { readonly name: string; readonly pmf: readonly number[] }

function cut(gen: (k: number) => number, maxK = 5000): number[] {
  const out: number[] = [];
  let cum = 0;
  for (let k = 0; k < maxK && 1 - cum > 1e-12; k++) {
    const p = gen(k);
    out.push(p);
    cum += p;
  }
  out[out.length - 1] = (out[out.length - 1] ?? 0) + Math.max(0, 1 - cum);
  return out;
}

export function poisson(lambda: number): Dist {
  let p = Math.exp(-lambda);
  return { name: `poisson(${lambda.toFixed(2)})`, pmf: cut((k) => { const v = k === 0 ? p : (p *= lambda / k); return v; }) };
}

/** 0 with probability 1 - pAny, else Geometric on {1, 2, ...} with mean m. */
export function bernoulliGeometric(pAny: number, m: number): Dist {
  const q = 1 / m;
  return { name: `bern(${pAny.toFixed(2)})xgeom(${m.toFixed(1)})`, pmf: cut((k) => (k === 0 ? 1 - pAny : pAny * q * (1 - q) ** (k - 1))) };
}

/** 0 with probability 1 - pAny, else a discrete Pareto P(Y >= k) = k^-alpha on 1..cap (rest at cap). */
export function heavyTail(pAny: number, alpha: number, cap: number): Dist {
  return { name: `bern(${pAny.toFixed(2)})xpareto(${alpha})`, pmf: cut((k) => {
    if (k === 0) return 1 - pAny;
    if (k === cap) return pAny * k ** -alpha;
    return k > cap ? 0 : pAny * (k ** -alpha - (k + 1) ** -alpha);
  }, cap + 1) };
}

/** Poisson(lambda G), G ~ Gamma(mean 1, variance 1/k): a negative binomial marginal. */
export function negativeBinomial(lambda: number, k: number): Dist {
  // P(X = n) = C(n + k - 1, n) (k / (k + lambda))^k (lambda / (k + lambda))^n
  const p = k / (k + lambda);
  let v = p ** k;
  return { name: `nb(${lambda.toFixed(2)},${k})`, pmf: cut((n) => (n === 0 ? v : (v *= ((n + k - 1) / n) * (1 - p)))) };
}

export function moments(d: Dist): { mean: number; variance: number } {
  let m1 = 0;
  let m2 = 0;
  d.pmf.forEach((p, k) => { m1 += k * p; m2 += k * k * p; });
  return { mean: m1, variance: m2 - m1 * m1 };
}

export function quantile(d: Dist, level: number): number {
  let cum = 0;
  for (let k = 0; k < d.pmf.length; k++) {
    cum += d.pmf[k] as number;
    if (cum >= level - 1e-12) return k;
  }
  return d.pmf.length - 1;
}

export function sampler(d: Dist): (rand: () => number) => number {
  const cdf: number[] = [];
  let cum = 0;
  for (const p of d.pmf) cdf.push((cum += p));
  return (rand) => {
    const u = rand() * cum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) >= u) hi = mid; else lo = mid + 1;
    }
    return lo;
  };
}

export interface SynthUser {
  readonly key: string;
  readonly dist: Dist;
  readonly poolMix: Record<string, number>;
  readonly tier: Tier;
  /** Cores and MiB per busy instance, for cluster load. */
  readonly cores: number;
  readonly mib: number;
}

/** The forecast the profiler would publish for a user whose peak instances follow `dist`. */
export function forecastOf(u: SynthUser, tickTime: number, opts: { moments?: boolean; horizons?: readonly number[]; producedAt?: number } = {}): UserForecast {
  const q = { p10: quantile(u.dist, 0.1), p50: quantile(u.dist, 0.5), p90: quantile(u.dist, 0.9), p99: quantile(u.dist, 0.99) };
  const scale = (c: number): typeof q => ({ p10: q.p10 * c, p50: q.p50 * c, p90: q.p90 * c, p99: q.p99 * c });
  const m = moments(u.dist);
  const pAny = 1 - (u.dist.pmf[0] ?? 0);
  return {
    userKey: u.key, tickTime,
    horizons: (opts.horizons ?? [5]).map((h) => ({
      horizonMinutes: h, requests: q, concurrentInstances: q, cpuCores: scale(u.cores), memoryMb: scale(u.mib), pAny,
      concurrentMean: opts.moments === false ? 0 : m.mean, concurrentVariance: opts.moments === false ? 0 : m.variance,
    })),
    runtimeMix: {}, poolMix: u.poolMix, tier: u.tier, priority: 0, requestNeed: null, model: 'synthetic', producedAt: opts.producedAt ?? tickTime,
  };
}

/** Empirical quantile (smallest sample value with at least `level` of samples at or below it). */
export function empiricalQuantile(sorted: readonly number[], level: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(level * sorted.length) - 1)] as number;
}
