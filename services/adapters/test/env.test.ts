import { describe, expect, it } from 'vitest';
import type { WarmcastError } from '@warmcast/kit';
import { adapterEnv } from '../src/env.ts';
import { simulatorParams, DEFAULT_PARAMS } from '../src/core/params.ts';

describe('adapterEnv', () => {
  it('no keys: the documented defaults, requests consumed', () => {
    const e = adapterEnv({});
    expect(simulatorParams(e.simulator)).toEqual(DEFAULT_PARAMS);
    expect(e.consumeRequests).toBe(true);
  });

  it('reads every key', () => {
    const e = adapterEnv({
      WARMCAST_ADAPTERS_SEED: '42', WARMCAST_ADAPTERS_BOOT: 'vm', WARMCAST_ADAPTERS_PRELOAD: '3000:0.2', WARMCAST_ADAPTERS_WINDOW_MS: '30000',
      WARMCAST_ADAPTERS_KEEP_ALIVE_MS: '300000', WARMCAST_ADAPTERS_MANAGED_IDLE_LIMIT_MS: '7200000', WARMCAST_ADAPTERS_DEFAULT_DURATION_MS: '500',
      WARMCAST_ADAPTERS_CAPACITY: '20', WARMCAST_ADAPTERS_SPOT_CAPACITY: '5', WARMCAST_ADAPTERS_RESERVED_CAPACITY: '2', WARMCAST_ADAPTERS_SPOT_HAZARD_PER_HOUR: '0.5',
      WARMCAST_ADAPTERS_CONSUME_REQUESTS: 'false',
    });
    expect(simulatorParams(e.simulator)).toMatchObject({
      seed: 42, boot: { medianMs: 8000, sigma: 0.3 }, preload: { medianMs: 3000, sigma: 0.2 }, windowMs: 30_000, keepAliveMs: 300_000, managedIdleLimitMs: 7_200_000,
      defaultDurationMs: 500, capacity: { 'on-demand': 20, spot: 5, reserved: 2 }, spotHazardPerHour: 0.5,
    });
    expect(e.consumeRequests).toBe(false);
  });

  it.each([
    [{ WARMCAST_ADAPTERS_SEED: 'x' }, /WARMCAST_ADAPTERS_SEED="x" must be a number/],
    [{ WARMCAST_ADAPTERS_BOOT: 'fast' }, /WARMCAST_ADAPTERS_BOOT="fast" must be container, microvm, vm or <medianMs>:<sigma>/],
    [{ WARMCAST_ADAPTERS_WINDOW_MS: '5' }, /windowMs=5 must be an integer in 1000\.\.86400000/],
    [{ WARMCAST_ADAPTERS_CONSUME_REQUESTS: 'yes' }, /WARMCAST_ADAPTERS_CONSUME_REQUESTS="yes" must be true or false/],
  ])('rejects %j as CONFIG_INVALID naming the key', (env, msg) => {
    expect(() => adapterEnv(env)).toThrow(msg);
    try { adapterEnv(env); } catch (err) { expect((err as WarmcastError).code).toBe('CONFIG_INVALID'); }
  });
});
