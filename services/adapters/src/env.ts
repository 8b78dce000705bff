// WARMCAST_ADAPTERS_* keys: the service's own settings from the environment (kit keys are parsed by
// parseConfig). Parsed once at start-up; a bad value names the key, the value and what is allowed.
import { WarmcastError } from '@warmcast/kit';
import { BOOT_PRESETS, ParamError, simulatorParams } from './core/params.ts';
import type { SimulatorOptions } from './core/params.ts';

export const ADAPTER_ENV_KEYS = Object.freeze({
  seed: 'WARMCAST_ADAPTERS_SEED',
  boot: 'WARMCAST_ADAPTERS_BOOT', // container | microvm | vm, or <medianMs>:<sigma>
  preload: 'WARMCAST_ADAPTERS_PRELOAD', // <medianMs>:<sigma>
  windowMs: 'WARMCAST_ADAPTERS_WINDOW_MS',
  keepAliveMs: 'WARMCAST_ADAPTERS_KEEP_ALIVE_MS',
  managedIdleLimitMs: 'WARMCAST_ADAPTERS_MANAGED_IDLE_LIMIT_MS',
  defaultDurationMs: 'WARMCAST_ADAPTERS_DEFAULT_DURATION_MS',
  capacity: 'WARMCAST_ADAPTERS_CAPACITY', // on-demand pools
  spotCapacity: 'WARMCAST_ADAPTERS_SPOT_CAPACITY',
  reservedCapacity: 'WARMCAST_ADAPTERS_RESERVED_CAPACITY',
  spotHazardPerHour: 'WARMCAST_ADAPTERS_SPOT_HAZARD_PER_HOUR',
  consumeRequests: 'WARMCAST_ADAPTERS_CONSUME_REQUESTS', // true | false
});

export interface AdapterEnv {
  readonly simulator: SimulatorOptions;
  readonly consumeRequests: boolean;
}

function invalid(key: string, value: string, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

function number(env: Readonly<Record<string, string | undefined>>, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw invalid(key, raw, 'a number');
  return n;
}

function lognormal(env: Readonly<Record<string, string | undefined>>, key: string, presets: boolean): { medianMs: number; sigma: number } | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (presets && raw in BOOT_PRESETS) return BOOT_PRESETS[raw as keyof typeof BOOT_PRESETS];
  const m = /^([0-9.]+):([0-9.]+)$/.exec(raw.trim());
  if (m === null) throw invalid(key, raw, `${presets ? 'container, microvm, vm or ' : ''}<medianMs>:<sigma>, e.g. 2500:0.35`);
  return { medianMs: Number(m[1]), sigma: Number(m[2]) };
}

/** Reads the WARMCAST_ADAPTERS_* keys; validates through simulatorParams so ranges are checked once. */
export function adapterEnv(env: Readonly<Record<string, string | undefined>>): AdapterEnv {
  const k = ADAPTER_ENV_KEYS;
  const o: Record<string, unknown> = {};
  const set = (name: string, v: unknown): void => { if (v !== undefined) o[name] = v; };
  set('seed', number(env, k.seed));
  set('boot', lognormal(env, k.boot, true));
  set('preload', lognormal(env, k.preload, false));
  set('windowMs', number(env, k.windowMs));
  set('keepAliveMs', number(env, k.keepAliveMs));
  set('managedIdleLimitMs', number(env, k.managedIdleLimitMs));
  set('defaultDurationMs', number(env, k.defaultDurationMs));
  set('spotHazardPerHour', number(env, k.spotHazardPerHour));
  const capacity: Record<string, number> = {};
  const od = number(env, k.capacity); if (od !== undefined) capacity['on-demand'] = od;
  const sp = number(env, k.spotCapacity); if (sp !== undefined) capacity['spot'] = sp;
  const rs = number(env, k.reservedCapacity); if (rs !== undefined) capacity['reserved'] = rs;
  if (Object.keys(capacity).length > 0) o['capacity'] = capacity;
  const simulator = o as SimulatorOptions;
  try {
    simulatorParams(simulator);
  } catch (err) {
    if (err instanceof ParamError) throw new WarmcastError('CONFIG_INVALID', `WARMCAST_ADAPTERS_*: ${err.message}`, { cause: err });
    throw err;
  }
  const cr = env[k.consumeRequests];
  if (cr !== undefined && cr !== '' && cr !== 'true' && cr !== 'false') throw invalid(k.consumeRequests, cr, 'true or false');
  return { simulator, consumeRequests: cr !== 'false' };
}
