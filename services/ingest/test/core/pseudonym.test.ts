import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEV_HMAC_KEY, Pseudonymizer, hmacUserKey, parseHmacSecret } from '../../src/core/pseudonym.ts';

const key = { id: 'k1', secret: Buffer.alloc(32, 7) };

describe('pseudonymization', () => {
  it('is hex HMAC-SHA256 of the user id under the key (RFC 4231 style check against node:crypto)', () => {
    const expected = createHmac('sha256', Buffer.alloc(32, 7)).update('alice').digest('hex');
    expect(hmacUserKey(key.secret, 'alice')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
  it('is deterministic, differs per user and per key, and never contains the raw id', () => {
    const p = new Pseudonymizer(key);
    expect(p.userKey('alice')).toBe(p.userKey('alice'));
    expect(p.userKey('alice')).not.toBe(p.userKey('bob'));
    expect(new Pseudonymizer({ id: 'k2', secret: Buffer.alloc(32, 8) }).userKey('alice')).not.toBe(p.userKey('alice'));
    expect(p.userKey('alice')).not.toContain('alice');
  });
  it('caches: a second lookup is a hit, and the cache is bounded', () => {
    const p = new Pseudonymizer(key, { maxCache: 2 });
    p.userKey('a'); p.userKey('a'); p.userKey('b'); p.userKey('c'); p.userKey('a');
    expect(p.hits).toBe(1);
    expect(p.misses).toBe(4);
  });
  it('gives the previous key\'s value during a rotation', () => {
    const prev = { id: 'k0', secret: Buffer.alloc(32, 1) };
    const p = new Pseudonymizer(key, { previous: prev });
    expect(p.previousUserKey('alice')).toBe(hmacUserKey(prev.secret, 'alice'));
    expect(new Pseudonymizer(key).previousUserKey('alice')).toBeNull();
  });
  it('parses keys of >= 32 bytes as hex or base64 and refuses shorter ones', () => {
    expect(parseHmacSecret('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseHmacSecret(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    expect(parseHmacSecret('ab'.repeat(31))).toMatch(/31 bytes, at least 32/);
    expect(parseHmacSecret('not a key!')).toMatch(/neither hex nor base64/);
    expect(DEV_HMAC_KEY.secret.length).toBeGreaterThanOrEqual(32);
  });
});
