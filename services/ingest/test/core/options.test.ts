import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_OPTIONS, ingestOptions } from '../../src/core/options.ts';
import { hmacKeysFromEnv, ingestEnv, INGEST_ENV_KEYS } from '../../src/ingest-env.ts';
import { DEV_HMAC_KEY } from '../../src/core/pseudonym.ts';

describe('ingest options', () => {
  it('defaults when nothing is given, frozen', () => {
    expect(ingestOptions()).toEqual(DEFAULT_INGEST_OPTIONS);
    expect(Object.isFrozen(ingestOptions())).toBe(true);
  });
  it('reads WARMCAST_INGEST_* and names the variable in errors', () => {
    expect(INGEST_ENV_KEYS.pairWindowMs).toBe('WARMCAST_INGEST_PAIR_WINDOW_MS');
    const o = ingestEnv({ WARMCAST_INGEST_PAIR_WINDOW_MS: '0', WARMCAST_INGEST_REFERENCE_CLOCK: 'watermark', WARMCAST_INGEST_MAX_FUTURE_SKEW_MS: '1000', WARMCAST_INGEST_STORE_RAW_USER_IDS: 'true' });
    expect(o).toMatchObject({ pairWindowMs: 0, referenceClock: 'watermark', storeRawUserIds: true, limits: { maxFutureSkewMs: 1000 } });
    expect(() => ingestEnv({ WARMCAST_INGEST_REFERENCE_CLOCK: 'sundial' })).toThrow('WARMCAST_INGEST_REFERENCE_CLOCK="sundial" must be one of wall, watermark, none');
    expect(() => ingestEnv({ WARMCAST_INGEST_BATCH_MAX_ROWS: '0' })).toThrow('WARMCAST_INGEST_BATCH_MAX_ROWS="0" must be an integer in 1..1000000');
    expect(() => ingestOptions({ pairWindow: 5 })).toThrow('pairWindow=5 must be a known key');
    expect(ingestEnv({ WARMCAST_INGEST_CONSUMER: 'kafkajs' }).consumer).toBe('kafkajs');
    expect(DEFAULT_INGEST_OPTIONS.consumer).toBe('lean');
    expect(() => ingestEnv({ WARMCAST_INGEST_CONSUMER: 'rdkafka' })).toThrow('WARMCAST_INGEST_CONSUMER="rdkafka" must be one of kafkajs, lean');
  });
  it('requires an HMAC key of >= 32 bytes unless the dev key is allowed, and never echoes it', () => {
    expect(() => hmacKeysFromEnv({})).toThrow(/WARMCAST_INGEST_HMAC_KEY is not set/);
    expect(hmacKeysFromEnv({ WARMCAST_INGEST_ALLOW_DEV_KEY: 'true' }).key).toBe(DEV_HMAC_KEY);
    const secret = 'ab'.repeat(16);
    let message = '';
    try { hmacKeysFromEnv({ WARMCAST_INGEST_HMAC_KEY: secret }); } catch (err) { message = (err as Error).message; }
    expect(message).toMatch(/16 bytes, at least 32/);
    expect(message).not.toContain(secret);
    const k = hmacKeysFromEnv({ WARMCAST_INGEST_HMAC_KEY: 'cd'.repeat(32), WARMCAST_INGEST_HMAC_KEY_ID: '2026-11', WARMCAST_INGEST_HMAC_PREVIOUS_KEY: 'ef'.repeat(32) });
    expect(k.key.id).toBe('2026-11');
    expect(k.previous?.id).toBe('k0');
  });
});
