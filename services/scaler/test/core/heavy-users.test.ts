import { describe, expect, it } from 'vitest';
import type { UserForecast } from '@warmcast/kit';
import { heavyUsers } from '../../src/core/heavy-users.ts';
import { T0, demand } from './fixtures.ts';

function forecast(userKey: string, concurrentMean: number, poolMix: Record<string, number>): UserForecast {
  const q = { p50: 0, p90: 0, p99: 0 } as unknown as UserForecast['horizons'][number]['requests'];
  return {
    userKey, tickTime: T0, runtimeMix: {}, poolMix, tier: 'STANDARD', priority: 0, requestNeed: null, model: 'test', producedAt: T0,
    horizons: [{ horizonMinutes: 5, requests: q, concurrentInstances: q, cpuCores: q, memoryMb: q, pAny: 1, concurrentMean, concurrentVariance: 0 }],
  } as unknown as UserForecast;
}

describe('heavyUsers', () => {
  it('share = user instances x pool mix / pool mean at the same horizon', () => {
    // pool mean = 0.7 * 10 = 7; user a: 3.5 * 0.8 = 2.8 -> 0.4; user b: 1 -> 0.14 (below 0.3).
    const out = heavyUsers([forecast('aaaaaaaaaaaaaaaa', 3.5, { 'python3.12/M': 0.8, 'python3.12/S': 0.2 }), forecast('bbbbbbbbbbbbbbbb', 1, { 'python3.12/M': 1 })], [demand('python3.12/M', 5, 10, T0)], 0.3);
    expect(out.map((u) => [u.userKey, u.config, Math.round(u.share * 100) / 100, u.profile])).toEqual([['aaaaaaaaaaaaaaaa', 'python3.12/M', 0.4, 'user:aaaaaaaaaaaa@python3.12']]);
  });
});
