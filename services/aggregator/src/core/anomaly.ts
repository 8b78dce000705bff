// Anomaly detector (pure): observed concurrent demand of a pool over an outcome window vs the
// band published for that pool. Observed = busyVmSeconds / window seconds, the MEAN number of
// busy instances; the band is for the PEAK over the forecast horizon, and mean <= peak. So:
//  - above the upper bound: a reliable signal (the peak was at least as high). Severity by
//    distance d = (observed - upper) / max(upper - mean, minScale): WARNING below
//    criticalDistance, CRITICAL from it. E.g. mean 10, upper 15, observed 21: d = 6/5 = 1.2 ->
//    CRITICAL at the default 1.0.
//  - below the lower bound: weaker evidence (a bursty minute can sit below the horizon's peak),
//    so never more than WARNING.
import type { AnomalyInput, PoolOutcome, Severity } from '@warmcast/kit';
import type { Band } from './combine.ts';
import type { PoolBand } from './aggregate.ts';

export interface AnomalySettings {
  readonly criticalDistance: number;
  /** Smallest band half-width used as the distance unit (instances), so a band of [0, 0] is not infinitely strict. */
  readonly minScale: number;
  /** Compare with the unweighted statistical band (default) or the headroom-weighted published one. */
  readonly bounds: 'statistical' | 'published';
  /** Closed windows kept for matching outcomes, ms of event time before the newest one. */
  readonly retainMs: number;
}

export const DEFAULT_ANOMALY: AnomalySettings = Object.freeze({ criticalDistance: 1, minScale: 1, bounds: 'statistical', retainMs: 30 * 60_000 });

interface Covered { readonly windowStart: number; readonly windowEnd: number }

/** Bands of the shortest horizon of each closed window, per pool, for matching outcomes. */
export class DemandMemory {
  private readonly byPool = new Map<string, PoolBand[]>();
  private windows: Covered[] = [];

  constructor(private readonly retainMs: number) {}

  /** pre: bands all come from one closed window. */
  remember(windowStart: number, bands: readonly PoolBand[]): void {
    if (bands.length === 0) return;
    const h = Math.min(...bands.map((b) => b.horizonMinutes));
    const mine = bands.filter((b) => b.horizonMinutes === h);
    this.windows.push({ windowStart, windowEnd: windowStart + h * 60_000 });
    for (const b of mine) {
      const list = this.byPool.get(b.poolKey) ?? [];
      list.push(b);
      this.byPool.set(b.poolKey, list);
    }
    const newest = Math.max(...this.windows.map((w) => w.windowStart));
    const keep = (x: Covered): boolean => x.windowStart >= newest - this.retainMs;
    this.windows = this.windows.filter(keep);
    for (const [k, list] of this.byPool) {
      const kept = list.filter(keep);
      if (kept.length === 0) this.byPool.delete(k);
      else this.byPool.set(k, kept);
    }
  }

  /**
   * The freshest closed window whose horizon covers [start, end): its band for the pool, or
   * `band: undefined` when that window predicted nothing for the pool (no user had it in its
   * mix: predicted 0). undefined when no closed window covers the outcome.
   */
  lookup(pool: string, start: number, end: number): { window: Covered; band: PoolBand | undefined } | undefined {
    const covering = this.windows.filter((w) => w.windowStart <= start && end <= w.windowEnd);
    if (covering.length === 0) return undefined;
    const window = covering.reduce((a, b) => (b.windowStart > a.windowStart ? b : a));
    const band = this.byPool.get(pool)?.find((b) => b.windowStart === window.windowStart);
    return { window, band };
  }
}

export const POOL_METRIC = 'concurrent_instances';

export function forecastRef(b: PoolBand): string {
  return `demand.pool.aggregated.v1/${b.poolKey}/${b.horizonMinutes}m@${b.windowStart}`;
}

/** null when the observation is inside the band (or the window is empty / malformed). */
export function detectPoolAnomaly(o: PoolOutcome, match: { band: PoolBand | undefined }, s: AnomalySettings, nowMs: number): AnomalyInput | null {
  const seconds = (o.windowEnd - o.windowStart) / 1000;
  if (!(seconds > 0) || !Number.isFinite(o.busyVmSeconds)) return null;
  const observed = o.busyVmSeconds / seconds;
  const band: Band = match.band === undefined ? { mean: 0, variance: 0, lower: 0, upper: 0 } : match.band[s.bounds];
  let severity: Severity;
  if (observed > band.upper) {
    const d = (observed - band.upper) / Math.max(band.upper - band.mean, s.minScale);
    severity = d >= s.criticalDistance ? 'CRITICAL' : 'WARNING';
  } else if (observed < band.lower) {
    severity = 'WARNING';
  } else {
    return null;
  }
  return {
    anomalyId: `pool:${o.poolId}:${o.windowStart}:${POOL_METRIC}`,
    subjectKind: 'POOL', subjectId: o.poolId, metric: POOL_METRIC, observed,
    expectedLower: band.lower, expectedUpper: band.upper, severity,
    forecastRef: match.band === undefined ? null : forecastRef(match.band),
    windowStart: o.windowStart, detectedAt: nowMs,
  };
}
