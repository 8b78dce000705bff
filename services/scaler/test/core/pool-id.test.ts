import { describe, expect, it } from 'vitest';
import { parsePoolId, userPoolId } from '../../src/core/pool-id.ts';

describe('pool ids', () => {
  it.each([
    ['python3.12/M', { kind: 'fixed', runtime: 'python3.12', sizeClass: 'M', config: 'python3.12/M', tier: 'on-demand' }],
    ['python3.12/M/spot', { kind: 'fixed', runtime: 'python3.12', sizeClass: 'M', config: 'python3.12/M', tier: 'spot' }],
    ['node22/GPU/reserved', { kind: 'fixed', runtime: 'node22', sizeClass: 'GPU', config: 'node22/GPU', tier: 'reserved' }],
    ['python3.12/var', { kind: 'variable', runtime: 'python3.12' }],
    ['python3.12/S/user/a1b2c3d4e5f6', { kind: 'user', runtime: 'python3.12', sizeClass: 'S', config: 'python3.12/S', userPrefix: 'a1b2c3d4e5f6' }],
    ['python3.12/Q', null],
    ['python3.12/M/user/xyz', null],
    ['python3.12/M/spot/extra', null],
  ])('%s', (id, expected) => {
    expect(parsePoolId(id)).toEqual(expected);
  });

  it('a user sub-pool uses the first 12 hex of the user key', () => {
    expect(userPoolId('python3.12/M', 'A1B2C3D4E5F60718')).toBe('python3.12/M/user/a1b2c3d4e5f6');
  });
});
