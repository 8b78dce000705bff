// The profiler of ONE input partition: a deterministic function of the partition's input
// sequence (event, offset) -> ticks with forecasts, accuracy records and changelog entries.
//
// Event time only: the watermark is the max event time seen minus the allowed lateness; a tick
// at T (a multiple of tickMs) fires, before the event that moved the watermark to >= T is folded.
// At tick T (minute M = T / 60 000) every user with open minutes < M closes them, every active
// user (an event within activeMs before T) is forecast, and kept forecasts whose horizon closed
// are scored. Ticks with nobody to process are skipped (a jump, not a loop over idle hours).
//
// Restart safety: a checkpoint = changelog entries for the users that changed since the previous
// checkpoint + one partition entry (written last) carrying the partition's next tick, watermark
// and last folded offset. Events at offsets <= the partition's offset are skipped; a user entry
// newer than the partition entry (a crash between the two) skips its own events by its
// sourceOffset and its own ticks by lastTick, so nothing is counted twice.
//
// When: `checkpointEachTick` (default) puts one in every TickOutput; the service's shell turns it
// off and calls checkpoint() once per consumed batch that fired a tick, so a user is written once
// per batch instead of once per tick (a catch-up batch spans many ticks; live, a batch fires about
// one tick). A user "changed" only when its restorable state did: events folded, minutes closed,
// a forecast kept or scored, history pruned. A tick that only forecasts it moves `lastTick`,
// which restore does not need (part.lastTick >= it bounds both of its uses), so a user forecast
// every minute but quiet is written on the keep ticks (1 in scoreEveryTicks = 5) only. Before:
// every active user, every tick: 107 MB of JSON for the bench's 9 497 events.
import type { NormalizedEvent, ProfilerStateEntryInput, UserForecastInput, ForecastAccuracyInput } from '@warmcast/kit';
import type { ProfilerOptions } from './options.ts';
import { MINUTE_MS } from './options.ts';
import type { UserState } from './user-state.ts';
import { STATE_VERSION, decodeUserState, encodeUserState, newUserState } from './user-state.ts';
import { closeMinutes, foldEvent, pruneHistory } from './user-fold.ts';
import { modelThrough } from './user-model.ts';
import type { CachedModel } from './user-model.ts';
import { forecastUser } from './user-forecast.ts';
import { scorePending } from './accuracy.ts';
import { PROFILE_MIN_SAMPLES, REGRESSION_RING, fitNeed, requestNeed } from './request-need.ts';
import type { FittedNeed, NeedSample, RequestNeedOut } from './request-need.ts';
import type { CombinerVersion } from '@warmcast/forecast';
import { ServedModels } from './served-models.ts';
import type { OfferOutcome } from './served-models.ts';

/** Changelog key of a partition's own entry; user keys are hex HMACs, so they never collide. */
export const partitionKey = (partition: number): string => `__partition__/${partition}`;
export const isPartitionKey = (key: string): boolean => key.startsWith('__partition__/');

export interface PartitionState {
  readonly partition: number;
  /** next tick time, ms; -1 before the first event */
  nextTick: number;
  lastTick: number;
  maxEventTime: number;
  /** last input offset folded, -1 before any */
  lastOffset: number;
  /** recent (code features, usage) pairs for the code-feature regression, ring */
  need: NeedSample[];
  needNext: number;
  /** served combiner versions as [version, fromMinute] (served-models.ts); absent before any */
  combiners?: [number, number][];
}

export interface TickOutput {
  readonly tickTime: number;
  readonly forecasts: UserForecastInput[];
  readonly accuracy: ForecastAccuracyInput[];
  /** user entries first, the partition entry last */
  readonly changelog: ProfilerStateEntryInput[];
  /** commit this + 1 once all of the above are acked */
  readonly sourceOffset: number;
}

export interface FoldStats {
  folded: number;
  skipped: number;
  late: number;
  ignored: number;
}

/** A checkpoint: user entries first, the partition entry last; commit sourceOffset + 1 once acked. */
export interface Checkpoint {
  readonly changelog: ProfilerStateEntryInput[];
  readonly sourceOffset: number;
}

export class PartitionProfiler {
  private readonly users = new Map<string, UserState>();
  private readonly models = new Map<string, CachedModel>();
  private readonly needs = new Map<string, CachedNeed>();
  private readonly dirty = new Set<string>();
  private part: PartitionState;
  /** lastOffset at the last checkpoint: nothing new to write while it has not moved */
  private checkpointedOffset = -1;
  private readonly checkpointEachTick: boolean;
  private readonly servedModels = new ServedModels();
  readonly counts: FoldStats = { folded: 0, skipped: 0, late: 0, ignored: 0 };

  constructor(readonly partition: number, private readonly opts: ProfilerOptions, mode: { readonly checkpointEachTick?: boolean } = {}) {
    this.part = { partition, nextTick: -1, lastTick: -1, maxEventTime: -1, lastOffset: -1, need: [], needNext: 0 };
    this.checkpointEachTick = mode.checkpointEachTick ?? true;
  }

  get userCount(): number {
    return this.users.size;
  }

  get lastOffset(): number {
    return this.part.lastOffset;
  }

  /**
   * Restores from the newest changelog entry per key (the caller deduplicates). Users that the
   * live profiler would have evicted by the partition's last tick are dropped here too (the
   * changelog keeps no tombstones).
   */
  restore(entries: Iterable<{ readonly userKey: string; readonly stateVersion: number; readonly state: Uint8Array }>): void {
    for (const e of entries) {
      if (e.stateVersion !== STATE_VERSION) throw new RangeError(`profiler state version ${e.stateVersion} for ${e.userKey}: this profiler reads version ${STATE_VERSION} only`);
      const json = Buffer.from(e.state).toString('utf8');
      if (isPartitionKey(e.userKey)) this.part = JSON.parse(json) as PartitionState;
      else this.users.set(e.userKey, decodeUserState(e.state));
    }
    this.checkpointedOffset = this.part.lastOffset;
    this.servedModels.restore(this.part.combiners ?? [], this.nextTickMinute());
    this.syncCombiners();
    if (this.part.lastTick >= 0) for (const [k, s] of this.users) if (this.evictable(s, this.part.lastTick)) this.users.delete(k);
  }

  /**
   * A published combiner version reaches this partition: served from its effectiveFromMinute, or
   * from the next tick when ticks at or after that minute already ran ('late'). Every user's
   * model is rebuilt at its next forecast (the rebuild is what a restored profiler does too).
   */
  offerCombiner(v: CombinerVersion): { outcome: OfferOutcome; problem?: string } {
    const r = this.servedModels.offer(v, this.nextTickMinute());
    if (r.outcome === 'applied' || r.outcome === 'late') {
      this.syncCombiners();
      this.models.clear();
    }
    return r;
  }

  /** the first minute not yet forecast; undefined before the first event */
  private nextTickMinute(): number | undefined {
    return this.part.nextTick < 0 ? undefined : this.part.nextTick / MINUTE_MS;
  }

  private syncCombiners(): void {
    const rec = this.servedModels.recorded();
    // absent rather than [] before any version: the partition entry stays byte-identical to before
    if (rec.length > 0) this.part.combiners = rec;
    else delete this.part.combiners;
  }

  /** Folds one event; returns the ticks that fired before it (each to be made durable, then committed). */
  fold(e: NormalizedEvent, offset: number): TickOutput[] {
    if (offset <= this.part.lastOffset) {
      this.counts.skipped++;
      return [];
    }
    const ticks = this.advanceWatermark(e.eventTime);
    this.part.lastOffset = offset;
    const m = e.metrics;
    if (m && e.codeFeatures) this.addNeedSample([e.codeFeatures.lines, e.codeFeatures.cyclomaticComplexity, e.codeFeatures.imports, m.cpuMs / Math.max(1, m.durationMs), m.memoryPeakMb, m.durationMs]);
    let s = this.users.get(e.userKey);
    if (s && offset <= s.sourceOffset) {
      this.counts.skipped++;
      return ticks;
    }
    if (!s) {
      s = newUserState(e.userKey, Math.floor(e.eventTime / MINUTE_MS));
      this.users.set(e.userKey, s);
    }
    const closedBefore = Math.max(this.part.lastTick, s.lastTick, 0) / MINUTE_MS;
    const outcome = foldEvent(s, e, offset, closedBefore);
    this.counts[outcome === 'folded' ? 'folded' : outcome]++;
    this.dirty.add(e.userKey);
    return ticks;
  }

  /** Marks an undecodable input offset as consumed (it was dead-lettered). */
  skipOffset(offset: number): void {
    if (offset > this.part.lastOffset) this.part.lastOffset = offset;
  }

  private addNeedSample(x: NeedSample): void {
    if (this.part.need.length < REGRESSION_RING) this.part.need.push(x);
    else this.part.need[this.part.needNext] = x;
    this.part.needNext = (this.part.needNext + 1) % REGRESSION_RING;
  }

  private advanceWatermark(eventTime: number): TickOutput[] {
    const { tickMs, allowedLatenessMs } = this.opts;
    this.part.maxEventTime = Math.max(this.part.maxEventTime, eventTime);
    if (this.part.nextTick < 0) this.part.nextTick = Math.ceil(eventTime / tickMs) * tickMs;
    const wm = this.part.maxEventTime - allowedLatenessMs;
    const out: TickOutput[] = [];
    while (wm >= this.part.nextTick) {
      const { output, tracked } = this.tick(this.part.nextTick);
      out.push(output);
      // nobody left to process: jump to the last due tick instead of looping over idle time (a
      // restored profiler may fire one extra empty tick here: it changes no user's output)
      this.part.nextTick = tracked ? this.part.nextTick + tickMs : Math.max(this.part.nextTick + tickMs, Math.floor(wm / tickMs) * tickMs);
    }
    return out;
  }

  private evictable(s: UserState, T: number): boolean {
    return s.lastEventTime < T - this.opts.evictAfterMs && s.pending.length === 0 && Object.keys(s.open).length === 0;
  }

  private tick(T: number): { output: TickOutput; tracked: boolean } {
    const { horizons, activeMs, generationMinutes: G, scoreEveryTicks, tickMs } = this.opts;
    const M = T / MINUTE_MS;
    const keep = (T / tickMs) % scoreEveryTicks === 0;
    const forecasts: UserForecastInput[] = [];
    const accuracy: ForecastAccuracyInput[] = [];
    // the partition's code-feature regression (3 ridge fits on 256 samples), fitted at most once
    // per tick and only if a user without its own profile (< 8 requests with metrics) needs it
    let fitted: FittedNeed | undefined;
    let fittedDone = false;
    const fit = (): FittedNeed | undefined => {
      if (!fittedDone) {
        fitted = fitNeed(this.part.need);
        fittedDone = true;
      }
      return fitted;
    };
    let tracked = false;
    const served = this.servedModels.served;
    served?.setOrigin(M); // this tick's forecasts use the version effective at M (served-combiner.ts)
    for (const [key, s] of this.users) {
      if (s.lastTick >= T) continue; // restored state already past this tick
      // changed: the restorable state moved (see the header); touched: processed at all
      let changed = closeMinutes(s, M) > 0;
      let touched = changed;
      const active = s.lastEventTime >= T - activeMs;
      if (active) {
        const cached = modelThrough(s, this.models.get(key), M, G, served);
        this.models.set(key, cached);
        const r = forecastUser(s, cached, T, horizons, this.needOf(key, s, fit));
        forecasts.push(r.forecast);
        if (keep) {
          s.pending.push(r.pending);
          changed = true;
        }
        touched = true;
      } else {
        this.models.delete(key);
        this.needs.delete(key);
      }
      if (s.pending.length > 0) {
        const scoredBefore = accuracy.length;
        for (const p of s.pending) for (const a of scorePending(key, p, s.history, M)) accuracy.push(a);
        const before = s.pending.length;
        s.pending = s.pending.filter((p) => p.h.some((h) => !h[3]));
        if (s.pending.length !== before || accuracy.length > scoredBefore) changed = touched = true;
      }
      tracked ||= s.pending.length > 0 || Object.keys(s.open).length > 0 || s.lastEventTime >= T + tickMs - activeMs;
      if (touched) {
        s.lastTick = T;
        if (pruneHistory(s, Math.floor((M - 1) / G) * G - G) > 0) changed = true;
        if (changed) this.dirty.add(key);
      } else if (this.evictable(s, T)) {
        this.users.delete(key);
        this.models.delete(key);
        this.needs.delete(key);
        this.dirty.delete(key);
      }
    }
    this.part.lastTick = T;
    // the partition entry describes the state after this tick: the next tick is T + tickMs
    const cp = this.checkpointEachTick ? this.checkpointAt(T, T + tickMs) : undefined;
    return { output: { tickTime: T, forecasts, accuracy, changelog: cp?.changelog ?? [], sourceOffset: this.part.lastOffset }, tracked };
  }

  /**
   * The changed users' entries and the partition entry, as of now (between two folds); undefined
   * when nothing was folded since the previous checkpoint. For checkpointEachTick: false.
   */
  checkpoint(): Checkpoint | undefined {
    if (this.part.lastOffset === this.checkpointedOffset && this.dirty.size === 0) return undefined;
    return this.checkpointAt(Math.max(0, this.part.maxEventTime), this.part.nextTick);
  }

  private checkpointAt(eventTime: number, nextTick: number): Checkpoint {
    const changelog: ProfilerStateEntryInput[] = [];
    for (const key of [...this.dirty].sort()) {
      const s = this.users.get(key);
      if (!s) continue;
      changelog.push({ userKey: key, sourcePartition: this.partition, sourceOffset: s.sourceOffset, stateVersion: STATE_VERSION, state: encodeUserState(s), eventTime });
    }
    this.dirty.clear();
    const saved: PartitionState = { ...this.part, nextTick };
    changelog.push({ userKey: partitionKey(this.partition), sourcePartition: this.partition, sourceOffset: this.part.lastOffset, stateVersion: STATE_VERSION, state: Buffer.from(JSON.stringify(saved), 'utf8'), eventTime });
    this.checkpointedOffset = this.part.lastOffset;
    return { changelog, sourceOffset: this.part.lastOffset };
  }

  /** The user's per-request need; its own profile only changes when an event is folded (sourceOffset moves). */
  private needOf(key: string, s: UserState, fit: () => FittedNeed | undefined): RequestNeedOut {
    const c = this.needs.get(key);
    if (c && c.offset === s.sourceOffset && c.need.source === 'profile') return c.need;
    // requestNeed reads the fit only without a profile and with code features
    const need = requestNeed(s, s.usage.length < PROFILE_MIN_SAMPLES && s.code ? fit() : undefined);
    this.needs.set(key, { offset: s.sourceOffset, need });
    return need;
  }
}

interface CachedNeed {
  readonly offset: number;
  readonly need: RequestNeedOut;
}
