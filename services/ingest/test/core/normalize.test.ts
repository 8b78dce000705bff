import { describe, expect, it } from 'vitest';
import { normalizeTags, toNormalized } from '../../src/core/normalize.ts';
import { metrics, request } from '../fixtures.ts';

describe('normalizeTags', () => {
  it('returns already lower-case tags as they are (no copy) and lower-cases a copy otherwise', () => {
    const lower = { team: 'core', env: 'Prod' };
    expect(normalizeTags(lower)).toBe(lower);
    const mixed = { Team: 'core', env: 'prod' };
    const out = normalizeTags(mixed);
    expect(out).toEqual({ team: 'core', env: 'prod' });
    expect(mixed).toEqual({ Team: 'core', env: 'prod' });
    expect(normalizeTags({})).toEqual({});
  });

  it('normalized events carry every request field and lower-cased tag keys', () => {
    const r = { side: 'request' as const, value: request({ tags: { Team: 'core' } }), userKey: 'k', features: null, origin: { topic: 't', partition: 0, offset: 0 } };
    const m = { side: 'metrics' as const, value: metrics(), userKey: 'k', origin: { topic: 'u', partition: 0, offset: 0 } };
    const n = toNormalized({ kind: 'PAIRED', request: r, metrics: m }, 5);
    expect(n?.value).toMatchObject({ applicationId: r.value.applicationId, runtime: r.value.runtime, sizeClass: r.value.sizeClass, language: r.value.language, tier: r.value.tier, priority: r.value.priority, tags: { team: 'core' }, ingestedAt: 5 });
    expect(toNormalized({ kind: 'REQUEST', request: r, cause: 'expired' }, 5)?.value).toMatchObject({ runtime: r.value.runtime, tags: { team: 'core' }, metrics: null });
  });
});
