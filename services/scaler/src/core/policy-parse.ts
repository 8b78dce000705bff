// Policy parsing (STYLE.md 6): defaults, parse, validate, freeze. Every error names the key,
// the value and what is allowed, e.g.
//   pools["python3.12/M"].scaleIn.graceMs=-5 must be an integer in 0..604800000
// Errors are data here (the core throws nothing); the shell turns them into CONFIG_INVALID.
import type { GlobalPolicy, PoolPolicy, PoolPolicyOverride, ScalerPolicy } from './policy.ts';
import { BOUNDS, BREACH_BEHAVIOURS, DEFAULT_GLOBAL_POLICY, DEFAULT_POOL_POLICY, MODES, mergePoolPolicy } from './policy.ts';
import { parseCron } from './cron.ts';
import { parsePoolId, SIZE_CLASSES } from './pool-id.ts';

export type PolicyResult = { readonly ok: true; readonly policy: ScalerPolicy } | { readonly ok: false; readonly errors: readonly string[] };

type Check = (key: string, v: unknown, errors: string[]) => void;

const WEEK_MS = 604_800_000;
const fmt = (v: unknown): string => JSON.stringify(v) ?? String(v);
const fail = (errors: string[], key: string, v: unknown, allowed: string): void => { errors.push(`${key}=${fmt(v)} must be ${allowed}`); };

const int = (min: number, max: number): Check => (k, v, e) => { if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(e, k, v, `an integer in ${min}..${max}`); };
const num = (min: number, max: number): Check => (k, v, e) => { if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(e, k, v, `a number in ${min}..${max}`); };
const bool: Check = (k, v, e) => { if (typeof v !== 'boolean') fail(e, k, v, 'true or false'); };
const oneOf = (xs: readonly string[]): Check => (k, v, e) => { if (typeof v !== 'string' || !xs.includes(v)) fail(e, k, v, `one of ${xs.join(', ')}`); };
const nullable = (c: Check): Check => (k, v, e) => { if (v !== null) c(k, v, e); };
const ms = int(0, WEEK_MS);
const count = int(0, 1_000_000);

const schedule: Check = (k, v, e) => {
  if (!Array.isArray(v)) { fail(e, k, v, 'a list of { cron, durationMs, minInstances?, maxInstances? }'); return; }
  v.forEach((w: unknown, i) => {
    const key = `${k}[${i}]`;
    if (typeof w !== 'object' || w === null) { fail(e, key, w, 'an object { cron, durationMs, minInstances?, maxInstances? }'); return; }
    const r = w as Record<string, unknown>;
    const cron = typeof r['cron'] === 'string' ? parseCron(r['cron']) : 'not a string';
    if (typeof cron === 'string') fail(e, `${key}.cron`, r['cron'], `a 5-field cron expression (${cron})`);
    int(60_000, WEEK_MS)(`${key}.durationMs`, r['durationMs'], e);
    if (r['minInstances'] !== undefined) count(`${key}.minInstances`, r['minInstances'], e);
    if (r['maxInstances'] !== undefined) count(`${key}.maxInstances`, r['maxInstances'], e);
    for (const x of Object.keys(r)) if (!['cron', 'durationMs', 'minInstances', 'maxInstances'].includes(x)) fail(e, `${key}.${x}`, r[x], 'absent (unknown key)');
  });
};

const NESTED: Record<string, Record<string, Check>> = {
  scaleIn: { onPrediction: bool, tolerance: num(0, 10), stabilizationMs: ms, graceMs: ms, cooldownMs: ms },
  cost: { reservedInstances: count, spotEnabled: bool, spotInterruptionRisk: num(0, 1), spotMaxRisk: num(0, 1) },
  resize: { enabled: bool, thresholdPct: num(0, 1000), cpuCores: num(0.05, 1024), memoryMb: num(16, 4_194_304) },
  migrate: { enabled: bool, toVariableCv: num(0, 100), toFixedCv: num(0, 100), maxPerDecision: int(1, 10_000) },
  preload: { enabled: bool, shareThreshold: num(0, 1), preloadMs: ms, maxSubPoolInstances: count },
};

const FLAT: Record<string, Check> = {
  mode: oneOf(MODES), paused: bool, bootMs: ms, preloadMs: ms, marginMs: ms,
  horizonMinutes: nullable(int(1, 10_080)), bound: oneOf(BOUNDS), quantile: num(0.5, 0.9999),
  bufferPct: num(0, 1000), bufferInstances: count, minInstances: count, maxInstances: count,
  breach: oneOf(BREACH_BEHAVIOURS), breachBufferPct: num(0, 1000), scaleOutTolerance: num(0, 10), scaleOutCooldownMs: ms,
  minHistoryMs: ms, staleAfterMs: int(1, WEEK_MS), fallbackInstances: nullable(count), schedules: schedule, priority: int(-1000, 1000),
};

function checkPool(prefix: string, v: unknown, errors: string[]): PoolPolicyOverride {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { fail(errors, prefix, v, 'an object of pool policy keys'); return {}; }
  const r = v as Record<string, unknown>;
  for (const [k, x] of Object.entries(r)) {
    const key = `${prefix}.${k}`;
    const flat = FLAT[k];
    const nested = NESTED[k];
    if (flat !== undefined) flat(key, x, errors);
    else if (nested !== undefined) {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) { fail(errors, key, x, `an object with keys ${Object.keys(nested).join(', ')}`); continue; }
      for (const [nk, nx] of Object.entries(x as Record<string, unknown>)) {
        const c = nested[nk];
        if (c === undefined) fail(errors, `${key}.${nk}`, nx, `absent (allowed: ${Object.keys(nested).join(', ')})`);
        else c(`${key}.${nk}`, nx, errors);
      }
    } else fail(errors, key, x, `absent (unknown key; allowed: ${[...Object.keys(FLAT), ...Object.keys(NESTED)].join(', ')})`);
  }
  return r as PoolPolicyOverride;
}

function crossCheck(key: string, p: PoolPolicy, errors: string[]): void {
  if (p.minInstances > p.maxInstances) errors.push(`${key}.minInstances=${p.minInstances} must be <= maxInstances (${p.maxInstances})`);
  if (p.migrate.toFixedCv >= p.migrate.toVariableCv) errors.push(`${key}.migrate.toFixedCv=${p.migrate.toFixedCv} must be < migrate.toVariableCv (${p.migrate.toVariableCv}) (hysteresis)`);
}

function checkGlobal(v: unknown, errors: string[]): GlobalPolicy {
  if (v === undefined) return DEFAULT_GLOBAL_POLICY;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { fail(errors, 'global', v, 'an object'); return DEFAULT_GLOBAL_POLICY; }
  const r = v as Record<string, unknown>;
  const checks: Record<string, Check> = {
    maxTotalInstances: nullable(count), anomalyHoldMs: ms, pendingTtlMs: int(1, WEEK_MS), variableSizeClass: oneOf(SIZE_CLASSES),
    horizons: (k, x, e) => { if (!Array.isArray(x) || x.length === 0 || x.some((h) => typeof h !== 'number' || !Number.isInteger(h) || h < 1)) fail(e, k, x, 'a non-empty list of positive integer minutes, e.g. [5, 15, 30, 120]'); },
  };
  for (const [k, x] of Object.entries(r)) {
    const c = checks[k];
    if (c === undefined) fail(errors, `global.${k}`, x, `absent (allowed: ${Object.keys(checks).join(', ')})`);
    else c(`global.${k}`, x, errors);
  }
  return { ...DEFAULT_GLOBAL_POLICY, ...(r as Partial<GlobalPolicy>) };
}

/** Parses `{ global?, defaults?, pools? }` (e.g. a policy JSON file) over the documented defaults. */
export function parsePolicy(json: unknown): PolicyResult {
  const errors: string[] = [];
  if (json === undefined || json === null) return { ok: true, policy: freeze({ global: DEFAULT_GLOBAL_POLICY, defaults: DEFAULT_POOL_POLICY, pools: {} }) };
  if (typeof json !== 'object' || Array.isArray(json)) return { ok: false, errors: [`policy=${fmt(json)} must be an object { global?, defaults?, pools? }`] };
  const r = json as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!['global', 'defaults', 'pools'].includes(k)) fail(errors, k, r[k], 'absent (allowed top-level keys: global, defaults, pools)');
  const global = checkGlobal(r['global'], errors);
  const defaults = mergePoolPolicy(DEFAULT_POOL_POLICY, r['defaults'] === undefined ? undefined : checkPool('defaults', r['defaults'], errors));
  crossCheck('defaults', defaults, errors);
  const pools: Record<string, PoolPolicyOverride> = {};
  const rawPools = r['pools'] ?? {};
  if (typeof rawPools !== 'object' || rawPools === null || Array.isArray(rawPools)) fail(errors, 'pools', rawPools, 'an object keyed by runtime, runtime/sizeClass or pool id');
  else {
    for (const [id, v] of Object.entries(rawPools as Record<string, unknown>)) {
      const key = `pools[${fmt(id)}]`;
      if (!id.includes('/') ? id === '' : parsePoolId(id) === null) fail(errors, key, id, 'a runtime (python3.12), a configuration (python3.12/M) or a pool id (python3.12/M/spot, python3.12/var)');
      pools[id] = checkPool(key, v, errors);
      if (errors.length === 0) crossCheck(key, mergePoolPolicy(defaults, pools[id]), errors);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy: freeze({ global, defaults, pools }) };
}

function freeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}
