// The scaler's own WARMCAST_SCALER_* keys (next to the kit's WARMCAST_*), validated once.
import { WarmcastError } from '@warmcast/kit';
import { MODES } from './core/policy.ts';
import type { Mode } from './core/policy.ts';

export const SCALER_ENV_KEYS = {
  policyFile: 'WARMCAST_SCALER_POLICY_FILE',
  mode: 'WARMCAST_SCALER_MODE',
  debounceMs: 'WARMCAST_SCALER_DEBOUNCE_MS',
  heavyUsersFromForecasts: 'WARMCAST_SCALER_HEAVY_USERS_FROM_FORECASTS',
} as const;

export interface ScalerEnv {
  /** Policy JSON file; absent = documented defaults. */
  readonly policyFile: string | null;
  /** Overrides policy.defaults.mode (e.g. `off` for the "prediction switched off" run). */
  readonly mode: Mode | null;
  readonly debounceMs: number;
  readonly heavyUsersFromForecasts: boolean;
}

function invalid(key: string, value: string, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

export function parseScalerEnv(env: Readonly<Record<string, string | undefined>>): ScalerEnv {
  const get = (k: string): string | undefined => { const v = env[k]; return v === undefined || v.trim() === '' ? undefined : v.trim(); };
  const mode = get(SCALER_ENV_KEYS.mode);
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) throw invalid(SCALER_ENV_KEYS.mode, mode, `one of ${MODES.join(', ')}`);
  const debounce = get(SCALER_ENV_KEYS.debounceMs);
  const debounceMs = debounce === undefined ? 100 : Number(debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) throw invalid(SCALER_ENV_KEYS.debounceMs, debounce ?? '', 'an integer in 0..60000 (ms)');
  const heavy = get(SCALER_ENV_KEYS.heavyUsersFromForecasts);
  if (heavy !== undefined && heavy !== 'true' && heavy !== 'false') throw invalid(SCALER_ENV_KEYS.heavyUsersFromForecasts, heavy, 'true or false');
  return { policyFile: get(SCALER_ENV_KEYS.policyFile) ?? null, mode: (mode as Mode | undefined) ?? null, debounceMs, heavyUsersFromForecasts: heavy !== 'false' };
}
