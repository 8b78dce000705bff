import { describe, expect, it } from 'vitest';
import { parseScalerEnv } from '../src/env.ts';

describe('parseScalerEnv', () => {
  it('defaults', () => {
    expect(parseScalerEnv({})).toEqual({ policyFile: null, mode: null, debounceMs: 100, heavyUsersFromForecasts: true });
  });
  it('reads every key', () => {
    expect(parseScalerEnv({ WARMCAST_SCALER_POLICY_FILE: '/etc/p.json', WARMCAST_SCALER_MODE: 'off', WARMCAST_SCALER_DEBOUNCE_MS: '0', WARMCAST_SCALER_HEAVY_USERS_FROM_FORECASTS: 'false' }))
      .toEqual({ policyFile: '/etc/p.json', mode: 'off', debounceMs: 0, heavyUsersFromForecasts: false });
  });
  it.each([
    [{ WARMCAST_SCALER_MODE: 'on' }, 'WARMCAST_SCALER_MODE="on" must be one of off, forecast-only, enforce'],
    [{ WARMCAST_SCALER_DEBOUNCE_MS: '-1' }, 'WARMCAST_SCALER_DEBOUNCE_MS="-1" must be an integer in 0..60000 (ms)'],
    [{ WARMCAST_SCALER_HEAVY_USERS_FROM_FORECASTS: 'yes' }, 'WARMCAST_SCALER_HEAVY_USERS_FROM_FORECASTS="yes" must be true or false'],
  ])('%j -> CONFIG_INVALID', (env, message) => {
    expect(() => parseScalerEnv(env)).toThrow(message);
  });
});
