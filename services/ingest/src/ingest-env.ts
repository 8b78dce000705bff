// WARMCAST_INGEST_* environment keys -> ingest options (validated by core/options.ts) and the
// HMAC key. Errors name the environment key.
import { WarmcastError } from '@warmcast/kit';
import { ingestOptions } from './core/options.ts';
import type { IngestOptions } from './core/options.ts';
import { DEV_HMAC_KEY, parseHmacSecret } from './core/pseudonym.ts';
import type { HmacKey } from './core/pseudonym.ts';

const OPTION_KEYS = [
  'referenceClock', 'pairWindowMs', 'maxPending', 'storeRawUserIds', 'batchMaxRows', 'batchMaxDelayMs', 'maxInFlightBatches',
  'featureCacheSize', 'forwarder', 'consumer', 'maxFutureSkewMs', 'maxLatenessMs', 'maxProduceDelayMs', 'maxIdChars', 'maxSourceChars',
  'maxTags', 'maxTagChars', 'maxDurationMs', 'maxMemoryMb', 'maxCpuCores',
] as const;

const envName = (k: string): string => `WARMCAST_INGEST_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Option key -> environment variable, e.g. pairWindowMs -> WARMCAST_INGEST_PAIR_WINDOW_MS. */
export const INGEST_ENV_KEYS: Readonly<Record<(typeof OPTION_KEYS)[number], string>> = Object.freeze(
  Object.fromEntries(OPTION_KEYS.map((k) => [k, envName(k)])) as Record<(typeof OPTION_KEYS)[number], string>,
);

export const HMAC_ENV = { key: 'WARMCAST_INGEST_HMAC_KEY', keyId: 'WARMCAST_INGEST_HMAC_KEY_ID', previousKey: 'WARMCAST_INGEST_HMAC_PREVIOUS_KEY', previousKeyId: 'WARMCAST_INGEST_HMAC_PREVIOUS_KEY_ID', allowDev: 'WARMCAST_INGEST_ALLOW_DEV_KEY' } as const;

export function ingestEnv(env: Readonly<Record<string, string | undefined>>): IngestOptions {
  const input: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) {
    const v = env[INGEST_ENV_KEYS[k]];
    if (v !== undefined && v !== '') input[k] = v;
  }
  return ingestOptions(input, INGEST_ENV_KEYS);
}

function keyFrom(env: Readonly<Record<string, string | undefined>>, keyName: string, idName: string, fallbackId: string): HmacKey | null {
  const text = env[keyName];
  if (text === undefined || text === '') return null;
  const parsed = parseHmacSecret(text);
  // The value is a secret: the message names the key and what is wrong, never the value.
  if (typeof parsed === 'string') throw new WarmcastError('CONFIG_INVALID', `${keyName}=<${text.length} chars, hidden> must be >= 32 bytes as hex or base64: ${parsed}`);
  return { id: env[idName] ?? fallbackId, secret: parsed };
}

/**
 * The HMAC key from the environment. Required, unless WARMCAST_INGEST_ALLOW_DEV_KEY=true (the
 * embedded stack), which falls back to the public DEV_HMAC_KEY.
 */
export function hmacKeysFromEnv(env: Readonly<Record<string, string | undefined>>): { key: HmacKey; previous: HmacKey | null } {
  const key = keyFrom(env, HMAC_ENV.key, HMAC_ENV.keyId, 'k1');
  const previous = keyFrom(env, HMAC_ENV.previousKey, HMAC_ENV.previousKeyId, 'k0');
  if (key !== null) return { key, previous };
  if (env[HMAC_ENV.allowDev] === 'true') return { key: DEV_HMAC_KEY, previous };
  throw new WarmcastError('CONFIG_INVALID', `${HMAC_ENV.key} is not set: give 32+ random bytes as hex or base64 (e.g. \`openssl rand -hex 32\`), or set ${HMAC_ENV.allowDev}=true to use the public dev key (embedded stack only)`);
}
