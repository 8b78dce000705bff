// One closed window -> demand per pool x horizon and cluster load per horizon.
// docs/aggregation.md has the maths; this file only wires the pieces together.
import type { AggregatedDemandInput, ClusterLoadInput, HorizonForecast, PoolConfigurationInput, Quantiles } from '@warmcast/kit';
import type { Band, CombineSettings, Contribution, Method } from './combine.ts';
import { combine } from './combine.ts';
import type { Moments, Pmf } from './distribution.ts';
import { continuousMoments, countPmf, pmfMoments, thinMoments } from './distribution.ts';
import { twoSidedZ } from './normal.ts';
import { parsePoolKey, poolKey } from './pool-key.ts';
import type { WeightSettings } from './weights.ts';
import { userWeight } from './weights.ts';
import type { ClosedWindow } from './windows.ts';

export interface AggregateSettings extends CombineSettings {
  readonly weights: WeightSettings;
  /** Cluster name: the key and `cluster` field of demand.cluster.aggregated.v1. */
  readonly cluster: string;
  /** Length of the aggregation window (the profiler's tick): published windowEnd = windowStart + tickMs. Default 60 s. */
  readonly tickMs?: number;
}

export interface PoolBand {
  readonly poolKey: string;
  readonly pool: PoolConfigurationInput;
  readonly horizonMinutes: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly method: Method | 'empty';
  readonly published: Band;
  readonly statistical: Band;
}

export interface WindowOutput {
  readonly windowStart: number;
  readonly demand: readonly { key: string; value: AggregatedDemandInput }[];
  readonly cluster: readonly { key: string; value: ClusterLoadInput }[];
  readonly bands: readonly PoolBand[];
  readonly counts: { users: number; exact: number; normal: number; noPoolMix: number; badPoolKeys: number };
}

const MINUTE_MS = 60_000;
const ZERO: Band = Object.freeze({ mean: 0, variance: 0, lower: 0, upper: 0 });

/**
 * The profiler's own moments when it sent them (the defaults are 0/0) and they are usable
 * (finite, non-negative), else those of the rebuilt pmf.
 */
function countMoments(h: HorizonForecast): Moments {
  const { concurrentMean: m, concurrentVariance: v } = h;
  if ((m > 0 || v > 0) && Number.isFinite(m) && Number.isFinite(v) && m >= 0 && v >= 0) return { mean: m, variance: v };
  return pmfMoments(countPmf(h.concurrentInstances, h.pAny));
}

interface Share { readonly key: string; readonly pool: PoolConfigurationInput; readonly share: number }

/** Shares normalised to sum to 1 (the profiler means them to); non-positive or non-finite ones dropped. */
function shares(mix: Readonly<Record<string, number>>, bad: Set<string>): Share[] {
  const out: Share[] = [];
  let total = 0;
  for (const key in mix) {
    const s = mix[key] as number;
    if (!(Number.isFinite(s) && s > 0)) continue;
    const pool = parsePoolKey(key);
    if (pool === undefined) { bad.add(key); continue; }
    out.push({ key: poolKey(pool), pool, share: s });
    total += s;
  }
  for (let i = 0; i < out.length; i++) out[i] = { ...(out[i] as Share), share: (out[i] as Share).share / total };
  return out;
}

interface HorizonAcc {
  readonly byPool: Map<string, { pool: PoolConfigurationInput; cs: Contribution[] }>;
  // cluster sums: mean, sum of weighted sds, sum of their squares
  cpuMean: number; cpuS1: number; cpuS2: number;
  memMean: number; memS1: number; memS2: number;
  users: number;
}

/** pre: knownPools holds pool keys published before; absent ones get an explicit zero (so the scaler can scale in). */
export function aggregateWindow(w: ClosedWindow, s: AggregateSettings, knownPools: ReadonlySet<string>): WindowOutput {
  const z = twoSidedZ(s.confidence);
  const demand: { key: string; value: AggregatedDemandInput }[] = [];
  const cluster: { key: string; value: ClusterLoadInput }[] = [];
  const bands: PoolBand[] = [];
  const counts = { users: w.forecasts.length, exact: 0, normal: 0, noPoolMix: 0, badPoolKeys: 0 };
  const badKeys = new Set<string>();
  const acc = new Map<number, HorizonAcc>();
  for (const f of w.forecasts) {
    const weight = userWeight(f.tier, f.priority, s.weights);
    const mix = shares(f.poolMix, badKeys);
    if (Object.keys(f.poolMix).length === 0) counts.noPoolMix += 1;
    for (const h of f.horizons) {
      let a = acc.get(h.horizonMinutes);
      if (a === undefined) acc.set(h.horizonMinutes, (a = { byPool: new Map(), cpuMean: 0, cpuS1: 0, cpuS2: 0, memMean: 0, memS1: 0, memS2: 0, users: 0 }));
      const m = countMoments(h);
      for (const { key, pool, share } of mix) {
        const tm = thinMoments(m, share);
        let entry = a.byPool.get(key);
        if (entry === undefined) a.byPool.set(key, (entry = { pool, cs: [] }));
        entry.cs.push({ mean: tm.mean, sd: Math.sqrt(tm.variance), weight, source: { q: h.concurrentInstances, pAny: h.pAny, share } });
      }
      const c = continuousMoments(h.cpuCores, h.pAny);
      const r = continuousMoments(h.memoryMb, h.pAny);
      const csd = weight * Math.sqrt(c.variance);
      const rsd = weight * Math.sqrt(r.variance);
      a.cpuMean += c.mean;
      a.cpuS1 += csd;
      a.cpuS2 += csd * csd;
      a.memMean += r.mean;
      a.memS1 += rsd;
      a.memS2 += rsd * rsd;
      a.users += 1;
    }
  }
  const rho = s.correlation;
  const cache = new Map<Quantiles, Pmf>();
  for (const hm of [...acc.keys()].sort((x, y) => x - y)) {
    const a = acc.get(hm) as HorizonAcc;
    // The band covers the forecast [start, start + horizon) (the anomaly detector matches
    // outcomes against it); the published record names the aggregation window it came from,
    // [tick, tick + tickMs), so its windowEnd is event time the scaler can use as "now".
    const coverEnd = w.windowStart + hm * MINUTE_MS;
    const windowEnd = w.windowStart + (s.tickMs ?? MINUTE_MS);
    const keys = [...new Set([...a.byPool.keys(), ...knownPools])].sort();
    for (const k of keys) {
      const entry = a.byPool.get(k);
      const pool = entry?.pool ?? parsePoolKey(k);
      if (pool === undefined) continue;
      const res = entry === undefined ? undefined : combine(entry.cs, s, cache);
      if (res !== undefined) counts[res.method] += 1;
      const published = res?.published ?? ZERO;
      const statistical = res?.statistical ?? ZERO;
      bands.push({ poolKey: k, pool, horizonMinutes: hm, windowStart: w.windowStart, windowEnd: coverEnd, method: res?.method ?? 'empty', published, statistical });
      demand.push({ key: k, value: {
        pool, horizonMinutes: hm, mean: published.mean, variance: published.variance, lowerBound: published.lower, upperBound: published.upper,
        confidence: s.confidence, userCount: entry?.cs.length ?? 0, windowStart: w.windowStart, windowEnd,
      } });
    }
    // Var = (1 - rho) sum sd_i^2 + rho (sum sd_i)^2, as for pools (combine.ts)
    const cv = (1 - rho) * a.cpuS2 + rho * a.cpuS1 * a.cpuS1;
    const mv = (1 - rho) * a.memS2 + rho * a.memS1 * a.memS1;
    cluster.push({ key: s.cluster, value: {
      cluster: s.cluster, horizonMinutes: hm,
      cpuCoresMean: a.cpuMean, cpuCoresVariance: cv, cpuCoresUpper: a.cpuMean + z * Math.sqrt(cv),
      memoryMbMean: a.memMean, memoryMbVariance: mv, memoryMbUpper: a.memMean + z * Math.sqrt(mv),
      confidence: s.confidence, userCount: a.users, windowStart: w.windowStart, windowEnd,
    } });
  }
  counts.badPoolKeys = badKeys.size;
  return { windowStart: w.windowStart, demand, cluster, bands, counts };
}
