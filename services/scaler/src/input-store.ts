// The shell's view of the inputs: the newest record per key, plus window completeness. No I/O;
// the service feeds it from the consumers and snapshots it into a DecideInput per decision.
import type { AggregatedDemand, Anomaly, ClusterLoad, CommandResult, PoolStatus, UserForecast } from '@warmcast/kit';
import type { ClusterRef, DecideInput, DemandRef, HeavyUser, Reservation } from './core/inputs.ts';

export class InputStore {
  private readonly demand = new Map<string, DemandRef>();
  private readonly status = new Map<string, PoolStatus>();
  private readonly cluster = new Map<number, ClusterRef>();
  private readonly anomalies = new Map<string, Anomaly>();
  private readonly forecasts = new Map<string, UserForecast>();
  private results: CommandResult[] = [];
  /** config -> windowEnd -> horizons seen. */
  private readonly windows = new Map<string, Map<number, Set<number>>>();
  reservations: Reservation[] = [];
  forecasterFailed = false;
  /** Bumped on every accepted demand record: derived values (heavy users) are recomputed only then. */
  demandVersion = 0;
  /** Newest event time seen on any input (monotonic): the decider's `now`. */
  eventNow = 0;

  constructor(private readonly horizons: readonly number[], private readonly anomalyHoldMs: number) {}

  /** Returns 'complete' when every configured horizon of this window has arrived. */
  addDemand(d: AggregatedDemand, ref: string): { config: string; complete: boolean; stale: boolean } {
    const config = `${d.pool.runtime}/${d.pool.sizeClass}`;
    const key = `${config}|${d.horizonMinutes}`;
    const prev = this.demand.get(key);
    const stale = prev !== undefined && prev.demand.windowEnd > d.windowEnd;
    if (!stale) {
      this.demand.set(key, { demand: d, ref });
      this.demandVersion++;
    }
    this.advance(d.windowEnd);
    let byEnd = this.windows.get(config);
    if (byEnd === undefined) this.windows.set(config, (byEnd = new Map()));
    let seen = byEnd.get(d.windowEnd);
    if (seen === undefined) byEnd.set(d.windowEnd, (seen = new Set()));
    seen.add(d.horizonMinutes);
    for (const end of byEnd.keys()) if (end < d.windowEnd) byEnd.delete(end); // older windows are decided or superseded
    return { config, complete: this.horizons.every((h) => seen.has(h)), stale };
  }

  /** True when the counts changed (a decision is worth running). */
  addStatus(s: PoolStatus): boolean {
    const prev = this.status.get(s.poolId);
    if (prev !== undefined && prev.asOf > s.asOf) return false;
    this.status.set(s.poolId, s);
    this.advance(s.asOf);
    return prev === undefined || prev.warming !== s.warming || prev.active !== s.active || prev.idle !== s.idle || prev.capacity !== s.capacity;
  }

  addCluster(c: ClusterLoad, ref: string): void {
    const prev = this.cluster.get(c.horizonMinutes);
    if (prev === undefined || prev.load.windowEnd <= c.windowEnd) this.cluster.set(c.horizonMinutes, { load: c, ref });
  }

  addAnomaly(a: Anomaly): void {
    this.anomalies.set(a.anomalyId, a);
    this.advance(a.detectedAt);
  }

  addResult(r: CommandResult): void {
    this.results.push(r);
  }

  addForecast(f: UserForecast): void {
    const prev = this.forecasts.get(f.userKey);
    if (prev === undefined || prev.tickTime <= f.tickTime) this.forecasts.set(f.userKey, f);
  }

  userForecasts(): Iterable<UserForecast> {
    return this.forecasts.values();
  }

  demandRefs(): DemandRef[] {
    return [...this.demand.values()];
  }

  private advance(t: number): void {
    if (t > this.eventNow) this.eventNow = t;
  }

  /** The decider's input; results are handed over once. */
  snapshot(heavy: readonly HeavyUser[]): DecideInput {
    for (const [id, a] of this.anomalies) if (this.eventNow - a.detectedAt > this.anomalyHoldMs) this.anomalies.delete(id);
    const results = this.results;
    this.results = [];
    return {
      demand: [...this.demand.values()],
      poolStatus: [...this.status.values()],
      clusterLoad: [...this.cluster.values()],
      anomalies: [...this.anomalies.values()],
      reservations: this.reservations,
      heavyUsers: heavy,
      results,
      forecasterFailed: this.forecasterFailed,
    };
  }

  /** Give results back when a decision could not be published (they are needed next time). */
  restoreResults(rs: readonly CommandResult[]): void {
    this.results = [...rs, ...this.results];
  }
}
