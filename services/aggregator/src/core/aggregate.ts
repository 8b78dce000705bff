// One closed window -> demand per pool x horizon and cluster load per horizon.
// docs/aggregation.md has the maths; this file only wires the pieces together.
import type { AggregatedDemandInput, ClusterLoadInput, HorizonForecast, PoolConfigurationInput } from '@warmcast/kit';
import type { Band, CombineSettings, Contribution, Method } from './combine.ts';
import { combine, correlatedVariance } from './combine.ts';
import type { Moments, Pmf } from './distribution.ts';
import { continuousMoments, countPmf, pmfMoments, thin, thinMoments } from './distribution.ts';
import { twoSidedZ } from './normal.ts';
import { parsePoolKey, poolKey } from './pool-key.ts';
import type { WeightSettings } from './weights.ts';
import { userWeight } from './weights.ts';
import type { ClosedWindow } from './windows.ts';

export interface AggregateSettings extends CombineSettings {
  readonly weights: WeightSettings;
  /** Cluster name: the key and `cluster` field of demand.cluster.aggregated.v1. */
  readonly cluster: string;
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

/** The profiler's own moments when it sent them (the defaults are 0/0), else those of the rebuilt pmf. */
function countMoments(h: HorizonForecast, pmf: () => Pmf): Moments {
  if (h.concurrentMean > 0 || h.concurrentVariance > 0) return { mean: h.concurrentMean, variance: h.concurrentVariance };
  return pmfMoments(pmf());
}

/** Shares normalised to sum to 1 (the profiler means them to); non-positive or non-finite ones dropped. */
function shares(mix: Readonly<Record<string, number>>): [string, number][] {
  const entries = Object.entries(mix).filter(([, s]) => Number.isFinite(s) && s > 0);
  const total = entries.reduce((a, [, s]) => a + s, 0);
  return entries.map(([k, s]) => [k, s / total]);
}

function memo<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

/** pre: knownPools holds pool keys published before; absent ones get an explicit zero (so the scaler can scale in). */
export function aggregateWindow(w: ClosedWindow, s: AggregateSettings, knownPools: ReadonlySet<string>): WindowOutput {
  const horizons = [...new Set(w.forecasts.flatMap((f) => f.horizons.map((h) => h.horizonMinutes)))].sort((a, b) => a - b);
  const z = twoSidedZ(s.confidence);
  const demand: { key: string; value: AggregatedDemandInput }[] = [];
  const cluster: { key: string; value: ClusterLoadInput }[] = [];
  const bands: PoolBand[] = [];
  const counts = { users: w.forecasts.length, exact: 0, normal: 0, noPoolMix: 0, badPoolKeys: 0 };
  const badKeys = new Set<string>();
  const noMix = new Set<string>();
  for (const hm of horizons) {
    const windowEnd = w.windowStart + hm * MINUTE_MS;
    const byPool = new Map<string, { pool: PoolConfigurationInput; cs: Contribution[] }>();
    const cpu: { mean: number; sd: number }[] = [];
    const mem: { mean: number; sd: number }[] = [];
    let clusterUsers = 0;
    for (const f of w.forecasts) {
      const h = f.horizons.find((x) => x.horizonMinutes === hm);
      if (h === undefined) continue;
      const weight = userWeight(f.tier, f.priority, s.weights);
      const pmf = memo(() => countPmf(h.concurrentInstances, h.pAny));
      const m = countMoments(h, pmf);
      const mix = shares(f.poolMix);
      if (mix.length === 0) noMix.add(f.userKey);
      for (const [key, share] of mix) {
        const pool = parsePoolKey(key);
        if (pool === undefined) { badKeys.add(key); continue; }
        const k = poolKey(pool);
        const tm = thinMoments(m, share);
        let entry = byPool.get(k);
        if (entry === undefined) byPool.set(k, (entry = { pool, cs: [] }));
        entry.cs.push({ mean: tm.mean, sd: Math.sqrt(tm.variance), weight, pmf: () => thin(pmf(), share) });
      }
      const c = continuousMoments(h.cpuCores, h.pAny);
      const r = continuousMoments(h.memoryMb, h.pAny);
      cpu.push({ mean: c.mean, sd: weight * Math.sqrt(c.variance) });
      mem.push({ mean: r.mean, sd: weight * Math.sqrt(r.variance) });
      clusterUsers += 1;
    }
    const keys = [...new Set([...byPool.keys(), ...knownPools])].sort();
    for (const k of keys) {
      const entry = byPool.get(k);
      const pool = entry?.pool ?? parsePoolKey(k);
      if (pool === undefined) continue;
      const res = entry === undefined ? undefined : combine(entry.cs, s);
      if (res !== undefined) counts[res.method] += 1;
      const published = res?.published ?? ZERO;
      const statistical = res?.statistical ?? ZERO;
      bands.push({ poolKey: k, pool, horizonMinutes: hm, windowStart: w.windowStart, windowEnd, method: res?.method ?? 'empty', published, statistical });
      demand.push({ key: k, value: {
        pool, horizonMinutes: hm, mean: published.mean, variance: published.variance, lowerBound: published.lower, upperBound: published.upper,
        confidence: s.confidence, userCount: entry?.cs.length ?? 0, windowStart: w.windowStart, windowEnd,
      } });
    }
    const cm = cpu.reduce((a, x) => a + x.mean, 0);
    const cv = correlatedVariance(cpu.map((x) => x.sd), s.correlation);
    const mm = mem.reduce((a, x) => a + x.mean, 0);
    const mv = correlatedVariance(mem.map((x) => x.sd), s.correlation);
    cluster.push({ key: s.cluster, value: {
      cluster: s.cluster, horizonMinutes: hm,
      cpuCoresMean: cm, cpuCoresVariance: cv, cpuCoresUpper: cm + z * Math.sqrt(cv),
      memoryMbMean: mm, memoryMbVariance: mv, memoryMbUpper: mm + z * Math.sqrt(mv),
      confidence: s.confidence, userCount: clusterUsers, windowStart: w.windowStart, windowEnd,
    } });
  }
  counts.noPoolMix = noMix.size;
  counts.badPoolKeys = badKeys.size;
  return { windowStart: w.windowStart, demand, cluster, bands, counts };
}
