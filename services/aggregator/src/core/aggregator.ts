// The aggregator's whole state machine, pure: forecasts in -> closed windows out (demand,
// cluster load, bands remembered for the detector); pool outcomes in -> anomalies out.
// The shell feeds it messages and the wall-clock idle timer, and publishes what it returns.
import type { AnomalyInput, PoolOutcome, UserForecast } from '@warmcast/kit';
import type { AggregateSettings, WindowOutput } from './aggregate.ts';
import { aggregateWindow } from './aggregate.ts';
import type { AnomalySettings } from './anomaly.ts';
import { DemandMemory, detectPoolAnomaly } from './anomaly.ts';
import { poolKey } from './pool-key.ts';
import type { AddStatus, ClosedWindow } from './windows.ts';
import { WindowBuffer } from './windows.ts';
import { OffsetHolds } from './offset-holds.ts';

export interface CoreSettings extends AggregateSettings {
  readonly tickMs: number;
  readonly latenessMs: number;
  /** A partition this far (event time) behind the newest one no longer holds windows back. */
  readonly idlePartitionMs: number;
  readonly anomaly: AnomalySettings;
}

export interface CoreCounters {
  forecasts: number; added: number; replaced: number; stale: number; late: number; replayed: number;
  windowsClosed: number; exact: number; normal: number; noPoolMix: number; badPoolKeys: number;
  outcomes: number; outcomesUnmatched: number; anomalies: number;
}

export class AggregatorCore {
  readonly counters: CoreCounters = {
    forecasts: 0, added: 0, replaced: 0, stale: 0, late: 0, replayed: 0, windowsClosed: 0, exact: 0, normal: 0,
    noPoolMix: 0, badPoolKeys: 0, outcomes: 0, outcomesUnmatched: 0, anomalies: 0,
  };
  private readonly windows: WindowBuffer;
  private readonly memory: DemandMemory;
  private readonly knownPools = new Set<string>();
  private readonly holds = new OffsetHolds();

  constructor(private readonly s: CoreSettings) {
    this.windows = new WindowBuffer(s.tickMs, s.latenessMs, s.idlePartitionMs);
    this.memory = new DemandMemory(s.anomaly.retainMs);
  }

  /**
   * Adds a forecast and returns the windows its arrival closed (usually none), aggregated. With
   * its input offset, an accepted forecast holds that offset until its window is published.
   */
  onForecast(f: UserForecast, partition = 0, offset?: number): { status: AddStatus; closed: WindowOutput[] } {
    this.counters.forecasts += 1;
    const status = this.windows.add(f, partition);
    this.counters[status] += 1;
    if (offset !== undefined && (status === 'added' || status === 'replaced')) this.holds.hold(this.windows.windowOf(f.tickTime), partition, offset);
    return { status, closed: this.close(this.windows.closeDue()) };
  }

  /** The shell published this window (or dropped it for good): its forecasts' offsets may be committed. */
  published(windowStart: number): void {
    this.holds.release(windowStart);
  }

  /** Lowest input offset on the partition that a window not yet published needs, or null. */
  commitFloor(partition: number): number | null {
    return this.holds.floor(partition);
  }

  /** Newest windowStart published (by this run, or by an earlier one as restored). */
  get publishedThrough(): number | undefined {
    return this.holds.publishedThrough;
  }

  heldWindows(): number {
    return this.holds.heldWindows();
  }

  /**
   * After a restart, before the first forecast: windows up to windowStart were published by an
   * earlier run; forecasts re-read for them are counted 'replayed' and dropped.
   */
  restore(publishedThrough: number): void {
    this.windows.restore(publishedThrough);
    this.holds.release(publishedThrough);
  }

  expectPartitions(ids: Iterable<number>): void {
    this.windows.expectPartitions(ids);
  }

  /** Closes every open window (idle timer or shutdown). */
  flush(): WindowOutput[] {
    return this.close(this.windows.flush());
  }

  openWindows(): number {
    return this.windows.openWindows();
  }

  onOutcome(o: PoolOutcome, nowMs: number): AnomalyInput | null {
    this.counters.outcomes += 1;
    const match = this.memory.lookup(poolKey(o.pool), o.windowStart, o.windowEnd);
    if (match === undefined) {
      this.counters.outcomesUnmatched += 1;
      return null;
    }
    const a = detectPoolAnomaly(o, match, this.s.anomaly, nowMs);
    if (a !== null) this.counters.anomalies += 1;
    return a;
  }

  private close(ws: readonly ClosedWindow[]): WindowOutput[] {
    return ws.map((w) => {
      const out = aggregateWindow(w, this.s, this.knownPools);
      for (const b of out.bands) this.knownPools.add(b.poolKey);
      this.memory.remember(w.windowStart, out.bands);
      this.counters.windowsClosed += 1;
      this.counters.exact += out.counts.exact;
      this.counters.normal += out.counts.normal;
      this.counters.noPoolMix += out.counts.noPoolMix;
      this.counters.badPoolKeys += out.counts.badPoolKeys;
      return out;
    });
  }
}
