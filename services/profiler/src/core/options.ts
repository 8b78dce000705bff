// The profiler core's knobs, validated once (STYLE.md 6). Pure: no env access here; the
// shell's profiler-config.ts maps WARMCAST_PROFILER_* keys onto these.
import { WarmcastError } from '@warmcast/kit';

export const MINUTE_MS = 60_000;

export interface ProfilerOptions {
  /** Event-time tick period, ms; a multiple of 60 000 (ticks close whole minutes). Default 60 000. */
  readonly tickMs: number;
  /** Forecast horizons, minutes, ascending. Default 5, 15, 30, 120. */
  readonly horizons: readonly number[];
  /** A user is forecast at a tick when seen within this much event time before it. Default 2 h. */
  readonly activeMs: number;
  /** Watermark = max event time seen in the partition minus this. Default 5 s. */
  readonly allowedLatenessMs: number;
  /**
   * Model generation length G and look-back L, minutes (G = L). Models are rebuilt from the
   * stored minute history at every generation start (minute % G == 0) from the L minutes before
   * it, then fed minute by minute; so a model is a function of the stored history only and a
   * restored profiler rebuilds the exact same model. History kept: G + L minutes. Default 1440
   * (a day, so the seasonal model sees the previous day's hours); tests use less.
   */
  readonly generationMinutes: number;
  /** Forecasts of every n-th tick are kept and scored for accuracy (state size: ~1 KiB per kept tick per user). Default 5. */
  readonly scoreEveryTicks: number;
  /** A user with no event for this long (and nothing pending) is forgotten. Default 2 days. */
  readonly evictAfterMs: number;
}

export const DEFAULT_PROFILER_OPTIONS: ProfilerOptions = Object.freeze({
  tickMs: MINUTE_MS,
  horizons: Object.freeze([5, 15, 30, 120]),
  activeMs: 2 * 3_600_000,
  allowedLatenessMs: 5_000,
  generationMinutes: 1440,
  scoreEveryTicks: 5,
  evictAfterMs: 2 * 86_400_000,
});

function bad(key: string, value: unknown, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Defaults < overrides; every key validated; the result frozen. */
export function profilerOptions(overrides: Partial<ProfilerOptions> = {}): ProfilerOptions {
  // only the known keys (callers pass their whole options object), unset ones from the defaults
  const picked = Object.keys(DEFAULT_PROFILER_OPTIONS).map((k) => [k, (overrides as Record<string, unknown>)[k]] as const).filter(([, v]) => v !== undefined);
  const o = { ...DEFAULT_PROFILER_OPTIONS, ...Object.fromEntries(picked) } as ProfilerOptions;
  if (!isInt(o.tickMs) || o.tickMs <= 0 || o.tickMs % MINUTE_MS !== 0) throw bad('tickMs', o.tickMs, 'a positive multiple of 60000 (whole minutes)');
  if (!Array.isArray(o.horizons) || o.horizons.length === 0 || o.horizons.some((h, i) => !isInt(h) || h < 1 || h > 1440 || (i > 0 && h <= (o.horizons[i - 1] ?? 0)))) {
    throw bad('horizons', o.horizons, 'a non-empty ascending list of whole minutes in 1..1440');
  }
  if (!isInt(o.activeMs) || o.activeMs < MINUTE_MS) throw bad('activeMs', o.activeMs, 'an integer >= 60000');
  if (!isInt(o.allowedLatenessMs) || o.allowedLatenessMs < 0 || o.allowedLatenessMs > 3_600_000) throw bad('allowedLatenessMs', o.allowedLatenessMs, 'an integer in 0..3600000');
  const maxH = o.horizons[o.horizons.length - 1] ?? 0;
  if (!isInt(o.generationMinutes) || o.generationMinutes < maxH || o.generationMinutes > 10_080) {
    throw bad('generationMinutes', o.generationMinutes, `an integer in ${maxH}..10080 (at least the longest horizon, so accuracy can be scored from the history)`);
  }
  if (!isInt(o.scoreEveryTicks) || o.scoreEveryTicks < 1) throw bad('scoreEveryTicks', o.scoreEveryTicks, 'an integer >= 1');
  const minEvict = Math.max(o.activeMs, 2 * o.generationMinutes * MINUTE_MS);
  if (!isInt(o.evictAfterMs) || o.evictAfterMs < minEvict) throw bad('evictAfterMs', o.evictAfterMs, `an integer >= ${minEvict} (activeMs and the kept history)`);
  return Object.freeze({ ...o, horizons: Object.freeze([...o.horizons]) });
}
