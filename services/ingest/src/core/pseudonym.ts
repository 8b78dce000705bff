// Pseudonymous user keys: userKey = hex(HMAC-SHA256(secret, userId)), 64 hex chars.
// Deterministic per key, so one user keeps one key (and one profile) for as long as the key
// lives. node:crypto is computation, not I/O, so the core may use it.
//
// Rotation (docs/ingest.md "Key rotation"): a key has an id. During a rotation period ingest is
// given the new key and the previous one; it keys everything by the NEW key and also reports
// previousUserKey so the shell can record (previousKey -> newKey) pairs once per user, letting
// the profiler and analysts join history across the rotation. After the period the previous key
// is dropped and the mapping table is the only link (delete it to make old history unlinkable).
import { createHmac } from 'node:crypto';

export interface HmacKey {
  readonly id: string;
  readonly secret: Buffer;
}

export const MIN_KEY_BYTES = 32;

// Dev default for the embedded stack only (`warmcast up`, tests, bench); production must set
// WARMCAST_INGEST_HMAC_KEY. Public in the source, so it protects nothing: keys made with it
// are not pseudonymous in any useful sense.
export const DEV_HMAC_KEY: HmacKey = Object.freeze({ id: 'dev', secret: Buffer.from('warmcast-dev-key-not-secret-0000', 'utf8') });

/** Parses a key given as 64+ hex chars or base64 of >= 32 bytes; returns a reason string when unusable. */
export function parseHmacSecret(text: string): Buffer | string {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (bytes === null) return 'neither hex nor base64';
  if (bytes.length < MIN_KEY_BYTES) return `${bytes.length} bytes, at least ${MIN_KEY_BYTES} required (64 hex chars or 44 base64 chars)`;
  return bytes;
}

export function hmacUserKey(secret: Buffer, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/**
 * userId -> userKey with a bounded cache: one HMAC costs ~1.5 us here, a Map hit ~50 ns, and a
 * trace has far fewer users than events (the day trace: ~400 owners for ~30M requests).
 * The cache is cleared wholesale when full (cheap, and a working set that large gains little).
 */
export class Pseudonymizer {
  readonly keyId: string;
  readonly previousKeyId: string | null;
  private readonly secret: Buffer;
  private readonly previous: Buffer | null;
  private readonly cache = new Map<string, string>();
  private readonly maxCache: number;
  hits = 0;
  misses = 0;

  constructor(key: HmacKey, options: { previous?: HmacKey | null; maxCache?: number } = {}) {
    this.keyId = key.id;
    this.secret = key.secret;
    this.previous = options.previous?.secret ?? null;
    this.previousKeyId = options.previous?.id ?? null;
    this.maxCache = options.maxCache ?? 100_000;
  }

  userKey(userId: string): string {
    const hit = this.cache.get(userId);
    if (hit !== undefined) { this.hits += 1; return hit; }
    this.misses += 1;
    if (this.cache.size >= this.maxCache) this.cache.clear();
    const k = hmacUserKey(this.secret, userId);
    this.cache.set(userId, k);
    return k;
  }

  /** The user's key under the previous key during a rotation period, else null. */
  previousUserKey(userId: string): string | null {
    return this.previous === null ? null : hmacUserKey(this.previous, userId);
  }
}
