// Scaler policy: global defaults, overrides per runtime ("application") and per pool
// configuration, resolved once per decision. Defaults and every rule: docs/scaler.md.
// Validation (errors naming key, value and what is allowed) lives in policy-parse.ts.

export const MODES = ['off', 'forecast-only', 'enforce'] as const;
/** off = publish nothing; forecast-only = commands with dryRun: true; enforce = real commands. */
export type Mode = (typeof MODES)[number];

export const BREACH_BEHAVIOURS = ['honour', 'raise'] as const;
/** honour = never above maxInstances; raise = up to maxInstances * (1 + breachBufferPct/100). */
export type BreachBehaviour = (typeof BREACH_BEHAVIOURS)[number];

export const BOUNDS = ['upper', 'mean', 'quantile'] as const;
/** Which number of the demand distribution sizes the pool. */
export type BoundChoice = (typeof BOUNDS)[number];

/** A cron-like override window, UTC: from each minute matching `cron`, for `durationMs`. */
export interface ScheduleWindow {
  readonly cron: string;
  readonly durationMs: number;
  readonly minInstances?: number;
  readonly maxInstances?: number;
}

export interface ScaleInPolicy {
  /** Scale in when the forecast alone drops (default false: only on observed idle VMs). */
  readonly onPrediction: boolean;
  /** Surplus must exceed this fraction of the target (and at least 1 VM) to count as a drop. */
  readonly tolerance: number;
  /** The drop must hold at every decision for this long before a TERMINATE (ms). */
  readonly stabilizationMs: number;
  /** No scale-in within this long after the last scale-out of the pool (ms): launched VMs serve the work they were launched for and running work finishes. */
  readonly graceMs: number;
  /** Minimum time between two scale-ins (ms). */
  readonly cooldownMs: number;
}

export interface CostPolicy {
  /** Instances of `<pool>/reserved` already paid for: filled first. */
  readonly reservedInstances: number;
  readonly spotEnabled: boolean;
  /** Probability that a spot VM is reclaimed within the horizon, 0..1. */
  readonly spotInterruptionRisk: number;
  /** Spot is used only while spotInterruptionRisk <= spotMaxRisk. */
  readonly spotMaxRisk: number;
}

export interface ResizePolicy {
  /** Applies to variable-resource pools (`<runtime>/var`) only. */
  readonly enabled: boolean;
  /** Resize when |predicted - allocated| / allocated exceeds this, percent (default 20). */
  readonly thresholdPct: number;
  /** Initial per-VM allocation of a variable pool before any RESIZE. */
  readonly cpuCores: number;
  readonly memoryMb: number;
}

export interface MigratePolicy {
  readonly enabled: boolean;
  /** Move idle fixed VMs to `<runtime>/var` when the predicted memory CV exceeds this. */
  readonly toVariableCv: number;
  /** Move idle variable VMs back when the CV falls below this (hysteresis: < toVariableCv). */
  readonly toFixedCv: number;
  readonly maxPerDecision: number;
}

export interface PreloadPolicy {
  readonly enabled: boolean;
  /** A user whose share of the pool's demand reaches this gets a preloaded sub-pool, 0..1. */
  readonly shareThreshold: number;
  /** Time to preload the user's software on a booted VM (ms); adds to the lead time. */
  readonly preloadMs: number;
  readonly maxSubPoolInstances: number;
}

export interface PoolPolicy {
  readonly mode: Mode;
  readonly paused: boolean;
  /** Lead time = bootMs + preloadMs + marginMs. */
  readonly bootMs: number;
  readonly preloadMs: number;
  readonly marginMs: number;
  /** Fixed horizon to use; null = the smallest horizon >= lead time. */
  readonly horizonMinutes: number | null;
  readonly bound: BoundChoice;
  /** Used when bound = 'quantile' (mean + z * sd, normal approximation). */
  readonly quantile: number;
  readonly bufferPct: number;
  readonly bufferInstances: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly breach: BreachBehaviour;
  readonly breachBufferPct: number;
  /** Scale out only when the deficit exceeds this fraction of the current size (hysteresis). */
  readonly scaleOutTolerance: number;
  readonly scaleOutCooldownMs: number;
  readonly scaleIn: ScaleInPolicy;
  /** Forecasts are trusted only after demand has been seen for this long (ms). */
  readonly minHistoryMs: number;
  /** Demand whose windowEnd is older than this is stale (ms). */
  readonly staleAfterMs: number;
  /** Target while forecasts are stale, untrusted or the forecaster failed; null = minInstances. */
  readonly fallbackInstances: number | null;
  readonly schedules: readonly ScheduleWindow[];
  /** Higher first when capacity is short. */
  readonly priority: number;
  readonly cost: CostPolicy;
  readonly resize: ResizePolicy;
  readonly migrate: MigratePolicy;
  readonly preload: PreloadPolicy;
}

export interface GlobalPolicy {
  /** Cap on all fixed-pool instances together; null = none (only per-pool caps). */
  readonly maxTotalInstances: number | null;
  /** Horizons the aggregator publishes per window: a window is complete when all arrived. */
  readonly horizons: readonly number[];
  /** How long a CRITICAL anomaly keeps its corrective floor (ms). */
  readonly anomalyHoldMs: number;
  /** A launch/terminate without a result counts as in flight for this long (ms). */
  readonly pendingTtlMs: number;
  /** Size class that describes `<runtime>/var` pools in commands. */
  readonly variableSizeClass: 'XS' | 'S' | 'M' | 'L' | 'XL' | 'GPU';
}

export type PoolPolicyOverride = { readonly [K in keyof PoolPolicy]?: PoolPolicy[K] extends object ? (PoolPolicy[K] extends readonly unknown[] ? PoolPolicy[K] : Partial<PoolPolicy[K]>) : PoolPolicy[K] };

export interface ScalerPolicy {
  readonly global: GlobalPolicy;
  readonly defaults: PoolPolicy;
  /** Keyed by runtime (`python3.12`), configuration (`python3.12/M`) or variable pool (`python3.12/var`); the most specific wins. */
  readonly pools: Readonly<Record<string, PoolPolicyOverride>>;
}

export const DEFAULT_POOL_POLICY: PoolPolicy = Object.freeze({
  mode: 'enforce',
  paused: false,
  bootMs: 30_000, // simulator default boot; real microVMs ~1-5 s, cloud VMs 30-90 s
  preloadMs: 0,
  marginMs: 30_000, // lead = 60 s: the 5-minute horizon covers it
  horizonMinutes: null,
  bound: 'upper',
  quantile: 0.9,
  bufferPct: 10,
  bufferInstances: 0,
  minInstances: 0,
  maxInstances: 1000,
  breach: 'honour',
  breachBufferPct: 20,
  scaleOutTolerance: 0,
  scaleOutCooldownMs: 30_000,
  scaleIn: Object.freeze({ onPrediction: false, tolerance: 0.1, stabilizationMs: 300_000, graceMs: 120_000, cooldownMs: 120_000 }),
  minHistoryMs: 600_000,
  staleAfterMs: 900_000,
  fallbackInstances: null,
  schedules: Object.freeze([]),
  priority: 0,
  cost: Object.freeze({ reservedInstances: 0, spotEnabled: false, spotInterruptionRisk: 0.05, spotMaxRisk: 0.1 }),
  resize: Object.freeze({ enabled: true, thresholdPct: 20, cpuCores: 1, memoryMb: 1024 }),
  migrate: Object.freeze({ enabled: false, toVariableCv: 1, toFixedCv: 0.5, maxPerDecision: 2 }),
  preload: Object.freeze({ enabled: true, shareThreshold: 0.3, preloadMs: 20_000, maxSubPoolInstances: 8 }),
});

export const DEFAULT_GLOBAL_POLICY: GlobalPolicy = Object.freeze({
  maxTotalInstances: null,
  horizons: Object.freeze([5, 15, 30, 120]),
  anomalyHoldMs: 600_000,
  pendingTtlMs: 300_000,
  variableSizeClass: 'M',
});

export const DEFAULT_POLICY: ScalerPolicy = Object.freeze({ global: DEFAULT_GLOBAL_POLICY, defaults: DEFAULT_POOL_POLICY, pools: Object.freeze({}) });

const NESTED = ['scaleIn', 'cost', 'resize', 'migrate', 'preload'] as const;

/** Merges overrides onto a base policy, nested records field by field. */
export function mergePoolPolicy(base: PoolPolicy, o: PoolPolicyOverride | undefined): PoolPolicy {
  if (o === undefined) return base;
  const out: Record<string, unknown> = { ...base, ...o };
  for (const k of NESTED) out[k] = { ...base[k], ...(o[k] ?? {}) };
  return out as unknown as PoolPolicy;
}

/** Policy for a pool id: defaults < runtime < configuration (`rt/sc`) < exact pool id. */
export function policyFor(policy: ScalerPolicy, poolId: string): PoolPolicy {
  const parts = poolId.split('/');
  const keys = [parts[0] ?? poolId, parts.slice(0, 2).join('/'), poolId];
  let p = policy.defaults;
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    p = mergePoolPolicy(p, policy.pools[k]);
  }
  return p;
}

/** Lead time of a pool (ms): boot + preload + margin. */
export function leadTimeMs(p: PoolPolicy, extraPreloadMs = 0): number {
  return p.bootMs + p.preloadMs + extraPreloadMs + p.marginMs;
}

/** The same policy with every pool in `mode` (WARMCAST_SCALER_MODE: e.g. `off` for a run without prediction). */
export function withMode(policy: ScalerPolicy, mode: Mode): ScalerPolicy {
  const pools: Record<string, PoolPolicyOverride> = {};
  for (const [k, o] of Object.entries(policy.pools)) pools[k] = { ...o, mode };
  return { global: policy.global, defaults: { ...policy.defaults, mode }, pools };
}
