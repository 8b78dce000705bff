import { describe, expect, it } from 'vitest';
import { parsePoolId, userPoolId } from '../../src/core/pool-id.ts';

describe('parsePoolId', () => {
  it.each([
    ['python3.12/M', { kind: 'fixed', runtime: 'python3.12', sizeClass: 'M', market: 'on-demand' }],
    ['python3.12/GPU/spot', { kind: 'fixed', sizeClass: 'GPU', market: 'spot' }],
    ['node20/XS/reserved', { kind: 'fixed', sizeClass: 'XS', market: 'reserved' }],
    ['python3.12/var', { kind: 'var', runtime: 'python3.12' }],
    ['python3.12/L/user/0123456789ab', { kind: 'user', sizeClass: 'L', userPrefix: '0123456789ab' }],
  ])('%s', (id, ref) => {
    const parsed = parsePoolId(id);
    expect(parsed).toMatchObject({ ok: true, ref: { id, ...ref } });
  });

  it.each(['', 'python3.12', 'python3.12/XXL', 'python3.12/M/ondemand', 'python3.12/M/user/XYZ', 'python3.12/M/user/0123456789abc', 'py thon/M', 'python3.12/var/spot', 'python3.12/UNKNOWN'])('rejects %j', (id) => {
    expect(parsePoolId(id).ok).toBe(false);
  });

  it('a user sub-pool id takes the first 12 hex of the user key', () => {
    expect(userPoolId('py', 'M', 'ABCDEF0123456789ffff')).toBe('py/M/user/abcdef012345');
  });
});
