// Combining per-user contributions into one distribution of the pool total, by moments with
// a correlation term, and by exact convolution where the normal approximation is poor.
// Never by adding quantiles: docs/aggregation.md shows why, with numbers.
import type { Quantiles } from '@warmcast/kit';
import type { Pmf } from './distribution.ts';
import { countPmf, pmfMoments, thin } from './distribution.ts';
import { twoSidedZ } from './normal.ts';

export interface Contribution {
  readonly mean: number;
  /** Standard deviation of the user's contribution (unweighted). */
  readonly sd: number;
  /** Headroom weight (tier x priority): scales the deviation from the mean, not the mean. */
  readonly weight: number;
  /**
   * For the exact path only: the user's count pmf in this pool, given outright, or rebuilt from
   * the forecast's quantiles and pAny and thinned by the pool share. Plain data, no closure per
   * user: closures cost ~2 us each under tsx (its __name wrapper) on the hot path.
   */
  readonly pmf?: Pmf;
  readonly source?: { readonly q: Quantiles; readonly pAny: number; readonly share: number };
}

export interface CombineSettings {
  readonly confidence: number;
  /** Pairwise correlation rho of user contributions, 0..1. */
  readonly correlation: number;
  /** Exact convolution up to this many users ... */
  readonly exactMaxUsers: number;
  /** ... or when one user holds more than this share of the variance (the CLT does not apply) ... */
  readonly dominantShare: number;
  /** ... or when the expected total is below this (a few counts are skewed: Poisson(3) has skew 0.58). */
  readonly smallMean: number;
  /** Give up on the exact path past this many multiply-adds and use the normal approximation. */
  readonly exactBudget: number;
}

export type Method = 'exact' | 'normal';

export interface Band {
  readonly mean: number;
  readonly variance: number;
  readonly lower: number;
  readonly upper: number;
}

export interface Combined {
  readonly method: Method;
  /** Headroom-weighted band: what is published for the scaler. */
  readonly published: Band;
  /** Unweighted band: the honest statistical bounds, used by the anomaly detector. */
  readonly statistical: Band;
}

/** Var = sum sigma_i^2 + rho sum_{i != j} sigma_i sigma_j = (1 - rho) sum sigma_i^2 + rho (sum sigma_i)^2. */
export function correlatedVariance(sds: Iterable<number>, rho: number): number {
  let s1 = 0;
  let s2 = 0;
  for (const s of sds) {
    s1 += s;
    s2 += s * s;
  }
  return (1 - rho) * s2 + rho * s1 * s1;
}

/** Independent sum of pmfs; undefined when it would take more than `budget` multiply-adds. */
export function convolve(pmfs: readonly Pmf[], budget: number): Pmf | undefined {
  let acc: Pmf = Float64Array.of(1);
  let lo = 0; // acc[k] is P(S = lo + k): leading cells below 1e-15 are dropped to keep it short
  let work = 0;
  for (const p of pmfs) {
    work += acc.length * p.length;
    if (work > budget) return undefined;
    const next = new Float64Array(acc.length + p.length - 1);
    for (let i = 0; i < acc.length; i++) {
      const a = acc[i] as number;
      if (a === 0) continue;
      for (let j = 0; j < p.length; j++) next[i + j] = (next[i + j] as number) + a * (p[j] as number);
    }
    let start = 0;
    let end = next.length;
    while (start < end - 1 && (next[start] as number) < 1e-15) start++;
    while (end > start + 1 && (next[end - 1] as number) < 1e-15) end--;
    acc = next.subarray(start, end);
    lo += start;
  }
  const out = new Float64Array(lo + acc.length);
  out.set(acc, lo);
  return out;
}

/** Lower L: largest k with P(S < k) <= alpha; upper U: smallest k with P(S <= k) >= 1 - alpha. */
export function pmfBounds(pmf: Pmf, alpha: number): { lower: number; upper: number } {
  let cum = 0; // P(S < k) at the top of iteration k
  let lower = 0;
  for (let k = 0; k < pmf.length; k++) {
    if (cum <= alpha + 1e-12) lower = k;
    cum += pmf[k] as number;
    if (cum >= 1 - alpha - 1e-12) return { lower, upper: k };
  }
  return { lower, upper: pmf.length - 1 };
}

function chooseExact(cs: readonly Contribution[], mean: number, s: CombineSettings): boolean {
  if (cs.length <= s.exactMaxUsers || mean < s.smallMean) return true;
  let total = 0;
  let max = 0;
  for (const c of cs) {
    const v = c.sd * c.sd;
    total += v;
    max = Math.max(max, v);
  }
  return total > 0 && max > s.dominantShare * total;
}

// Whole-instance bounds: a continuity-corrected normal, upper = ceil(M + z sd - 0.5),
// lower = floor(M - z sd + 0.5) floored at 0. E.g. M = 60, Var = 60, z = 1.645: [48, 72]
// (the Poisson(60) 5 % / 95 % points are 48 and 73).
function normalBand(mean: number, variance: number, z: number): Band {
  const sd = Math.sqrt(variance);
  return { mean, variance, lower: Math.max(0, Math.floor(mean - z * sd + 0.5 + 1e-9)), upper: Math.max(0, Math.ceil(mean + z * sd - 0.5 - 1e-9)) };
}

// The exact path keeps the shape (skew) of the independent convolution S_d and moves/stretches
// it to the target moments: bound = M + sqrt(Var / Var_d) (q_d - M_d). With unit weights and
// rho = 0 this is q_d itself (up to the difference between the forecast's own moments and
// those of the rebuilt pmfs).
function exactBand(mean: number, variance: number, q: { lower: number; upper: number }, d: { mean: number; variance: number }): Band {
  const k = d.variance > 0 ? Math.sqrt(variance / d.variance) : 0;
  const lo = mean + k * (q.lower - d.mean);
  const hi = mean + k * (q.upper - d.mean);
  return { mean, variance, lower: Math.max(0, Math.floor(lo + 1e-9)), upper: Math.max(0, Math.ceil(hi - 1e-9)) };
}

/** The exact path's pmf of one contribution; base pmfs are shared between a user's pools. */
function pmfOf(c: Contribution, cache: Map<Quantiles, Pmf>): Pmf {
  if (c.pmf !== undefined) return c.pmf;
  if (c.source === undefined) return Float64Array.of(1);
  let base = cache.get(c.source.q);
  if (base === undefined) {
    base = countPmf(c.source.q, c.source.pAny);
    cache.set(c.source.q, base);
  }
  return thin(base, c.source.share);
}

export function combine(cs: readonly Contribution[], s: CombineSettings, cache: Map<Quantiles, Pmf> = new Map()): Combined {
  let mean = 0;
  let s1 = 0;
  let s2 = 0;
  let w1 = 0;
  let w2 = 0;
  for (const c of cs) {
    mean += c.mean;
    s1 += c.sd;
    s2 += c.sd * c.sd;
    const w = c.sd * c.weight;
    w1 += w;
    w2 += w * w;
  }
  const rho = s.correlation;
  const varStat = (1 - rho) * s2 + rho * s1 * s1;
  const varPub = (1 - rho) * w2 + rho * w1 * w1;
  if (cs.length > 0 && chooseExact(cs, mean, s)) {
    const sum = convolve(cs.map((c) => pmfOf(c, cache)), s.exactBudget);
    if (sum !== undefined) {
      const q = pmfBounds(sum, (1 - s.confidence) / 2);
      const d = pmfMoments(sum);
      return { method: 'exact', published: exactBand(mean, varPub, q, d), statistical: exactBand(mean, varStat, q, d) };
    }
  }
  const z = twoSidedZ(s.confidence);
  return { method: 'normal', published: normalBand(mean, varPub, z), statistical: normalBand(mean, varStat, z) };
}
