// Aggregator settings (STYLE.md 6): defaults < WARMCAST_AGGREGATOR_* env < code overrides;
// validated and frozen once. Errors name the key, the value and what is allowed.
import { WarmcastError } from '@warmcast/kit';
import type { Tier } from '@warmcast/kit';
import type { CoreSettings } from './core/aggregator.ts';
import { DEFAULT_ANOMALY } from './core/anomaly.ts';
import { DEFAULT_WEIGHTS } from './core/weights.ts';

export interface AggregatorSettings extends CoreSettings {
  /** Wall-clock ms without a new forecast after which every open window is closed; 0 = off. */
  readonly idleCloseMs: number;
}

export interface AggregatorOverrides {
  readonly tickMs?: number;
  readonly latenessTicks?: number;
  readonly idlePartitionTicks?: number;
  readonly idleCloseMs?: number;
  readonly confidence?: number;
  readonly correlation?: number;
  readonly weights?: Partial<Record<Tier, number>>;
  readonly priorityStep?: number;
  readonly cluster?: string;
  readonly exactMaxUsers?: number;
  readonly anomalyCriticalDistance?: number;
  readonly anomalyBounds?: 'statistical' | 'published';
}

export const AGGREGATOR_ENV: Readonly<Record<keyof AggregatorOverrides, string>> = Object.freeze({
  tickMs: 'WARMCAST_AGGREGATOR_TICK_MS',
  latenessTicks: 'WARMCAST_AGGREGATOR_LATENESS_TICKS',
  idlePartitionTicks: 'WARMCAST_AGGREGATOR_IDLE_PARTITION_TICKS',
  idleCloseMs: 'WARMCAST_AGGREGATOR_IDLE_CLOSE_MS',
  confidence: 'WARMCAST_AGGREGATOR_CONFIDENCE',
  correlation: 'WARMCAST_AGGREGATOR_CORRELATION',
  weights: 'WARMCAST_AGGREGATOR_TIER_WEIGHTS',
  priorityStep: 'WARMCAST_AGGREGATOR_PRIORITY_STEP',
  cluster: 'WARMCAST_AGGREGATOR_CLUSTER',
  exactMaxUsers: 'WARMCAST_AGGREGATOR_EXACT_MAX_USERS',
  anomalyCriticalDistance: 'WARMCAST_AGGREGATOR_ANOMALY_CRITICAL_DISTANCE',
  anomalyBounds: 'WARMCAST_AGGREGATOR_ANOMALY_BOUNDS',
});

export const DEFAULT_SETTINGS = Object.freeze({
  tickMs: 60_000, // the profiler's default tick
  latenessTicks: 1, // wait one more tick for stragglers before closing
  // A partition 5 ticks behind the newest stops holding windows back (5 min of event time, 0.5 s
  // of wall time in a 600x replay); a backlog read skewed partitions by up to ~7 ticks in
  // bench/service.bench.ts, where forecasts of the slower partitions then arrive late.
  idlePartitionTicks: 5,
  idleCloseMs: 3_000, // real time: publish ~3 s after a tick's burst instead of one tick later
  confidence: 0.9,
  // Residual correlation after the forecasts' own seasonality. Var grows by 1 + rho (n - 1):
  // rho 0.01 and 100 equal users -> x1.99 (sd x1.41). See docs/aggregation.md.
  correlation: 0.01,
  priorityStep: 0,
  cluster: 'default',
  exactMaxUsers: 50,
  anomalyCriticalDistance: DEFAULT_ANOMALY.criticalDistance,
  anomalyBounds: DEFAULT_ANOMALY.bounds,
});

function invalid(key: string, value: unknown, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

function num(key: string, value: unknown, min: number, max: number, integer = false): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw invalid(key, value, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return n;
}

const TIERS: readonly Tier[] = ['FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE', 'UNKNOWN'];

/** "FREE=0.5,ENTERPRISE=2" or an object; unnamed tiers keep their defaults. */
function parseWeights(key: string, value: unknown): Record<Tier, number> {
  const out: Record<Tier, number> = { ...DEFAULT_WEIGHTS.tiers };
  const pairs: [string, unknown][] = typeof value === 'string'
    ? value.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => { const [k = '', v = ''] = p.split('='); return [k.trim(), v.trim()]; })
    : typeof value === 'object' && value !== null ? Object.entries(value) : [];
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) throw invalid(key, value, 'TIER=weight pairs, e.g. FREE=0.5,ENTERPRISE=1.5');
  for (const [t, v] of pairs) {
    if (!(TIERS as readonly string[]).includes(t)) throw invalid(key, value, `TIER=weight pairs with TIER one of ${TIERS.join(', ')} (bad tier ${JSON.stringify(t)})`);
    out[t as Tier] = num(`${key}[${t}]`, v, 0, 10);
  }
  return out;
}

export function parseAggregatorSettings(overrides: AggregatorOverrides = {}, env: Readonly<Record<string, string | undefined>> = {}): AggregatorSettings {
  const pick = (k: keyof AggregatorOverrides): { key: string; value: unknown } => {
    if (overrides[k] !== undefined) return { key: k, value: overrides[k] };
    const e = env[AGGREGATOR_ENV[k]];
    if (e !== undefined && e !== '') return { key: AGGREGATOR_ENV[k], value: e };
    return { key: k, value: k === 'weights' ? {} : DEFAULT_SETTINGS[k] };
  };
  const n = (k: keyof AggregatorOverrides, min: number, max: number, integer = false): number => {
    const { key, value } = pick(k);
    return num(key, value, min, max, integer);
  };
  const tickMs = n('tickMs', 1_000, 86_400_000, true);
  const latenessTicks = n('latenessTicks', 0, 1_000, true);
  const w = pick('weights');
  const c = pick('cluster');
  if (typeof c.value !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(c.value)) throw invalid(c.key, c.value, '1-100 characters of [A-Za-z0-9._-]');
  const b = pick('anomalyBounds');
  if (b.value !== 'statistical' && b.value !== 'published') throw invalid(b.key, b.value, 'statistical or published');
  const settings: AggregatorSettings = {
    tickMs,
    latenessMs: latenessTicks * tickMs,
    idlePartitionMs: n('idlePartitionTicks', 1, 10_000, true) * tickMs,
    idleCloseMs: n('idleCloseMs', 0, 3_600_000, true),
    confidence: n('confidence', 0.5, 0.999),
    correlation: n('correlation', 0, 1),
    weights: Object.freeze({ tiers: Object.freeze(parseWeights(w.key, w.value)), priorityStep: n('priorityStep', 0, 1) }),
    cluster: c.value,
    exactMaxUsers: n('exactMaxUsers', 0, 10_000, true),
    dominantShare: 0.25, // one user with over a quarter of the variance: the sum is as skewed as that user
    smallMean: 10, // below ~10 expected instances the count's skew (1 / sqrt(mean) for Poisson) exceeds 0.3
    exactBudget: 4_000_000, // multiply-adds: ~10 ms on one core; past it, the normal approximation
    anomaly: Object.freeze({ ...DEFAULT_ANOMALY, criticalDistance: n('anomalyCriticalDistance', 0, 100), bounds: b.value }),
  };
  return Object.freeze(settings);
}
