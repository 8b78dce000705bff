// Config (STYLE.md 6): defaults, parse (env + object), validate, freeze, once at start-up.
// Every error names the key, the value and what is allowed, e.g.
//   CONFIG_INVALID: WARMCAST_LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent
import { WarmcastError } from './errors.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface KitConfig {
  readonly kafkaBrokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly registryUrl: string;
  readonly clickhouseUrl: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** Handler attempts per message before a retriable failure is dead-lettered. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Time allowed for close() to drain, after which it gives up (ms). */
  readonly shutdownTimeoutMs: number;
}

export const DEFAULT_CONFIG: KitConfig = Object.freeze({
  kafkaBrokers: Object.freeze(['localhost:9092']),
  clientId: 'warmcast',
  groupId: 'warmcast',
  registryUrl: 'http://localhost:8081',
  clickhouseUrl: 'http://localhost:8123',
  httpPort: 9464,
  logLevel: 'info',
  maxAttempts: 5, // 5 attempts with 100 ms base, x2: waits 100+200+400+800 = 1.5 s before giving up
  retryBaseMs: 100,
  retryMaxMs: 30_000,
  shutdownTimeoutMs: 10_000,
});

/** Environment variable per key: WARMCAST_ + upper snake case. */
export const ENV_KEYS: Readonly<Record<keyof KitConfig, string>> = Object.freeze({
  kafkaBrokers: 'WARMCAST_KAFKA_BROKERS',
  clientId: 'WARMCAST_CLIENT_ID',
  groupId: 'WARMCAST_GROUP_ID',
  registryUrl: 'WARMCAST_REGISTRY_URL',
  clickhouseUrl: 'WARMCAST_CLICKHOUSE_URL',
  httpPort: 'WARMCAST_HTTP_PORT',
  logLevel: 'WARMCAST_LOG_LEVEL',
  maxAttempts: 'WARMCAST_MAX_ATTEMPTS',
  retryBaseMs: 'WARMCAST_RETRY_BASE_MS',
  retryMaxMs: 'WARMCAST_RETRY_MAX_MS',
  shutdownTimeoutMs: 'WARMCAST_SHUTDOWN_TIMEOUT_MS',
});

function invalid(key: string, value: unknown, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

function parseInteger(key: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalid(key, value, `an integer in ${min}..${max}`);
  return n;
}

function parseUrl(key: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(key, value, 'an http(s) URL');
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw invalid(key, value, 'an http(s) URL, e.g. http://localhost:8081');
  }
  return value.replace(/\/+$/, '');
}

const HOST_PORT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9a-fA-F:]+\]:[0-9]{1,5}$/;

function parseBrokers(key: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
  if (!Array.isArray(list) || list.length === 0) throw invalid(key, value, 'a non-empty list of host:port (comma-separated in the environment)');
  for (const b of list) {
    if (typeof b !== 'string' || !HOST_PORT.test(b) || Number(b.slice(b.lastIndexOf(':') + 1)) > 65535) throw invalid(key, value, `host:port entries (bad entry ${JSON.stringify(b)})`);
  }
  return Object.freeze([...(list as string[])]);
}

const NAME = /^[A-Za-z0-9._-]{1,249}$/; // Kafka's client id / group id alphabet

function parseName(key: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) throw invalid(key, value, `1-249 characters of [A-Za-z0-9._-]`);
  return value;
}

/**
 * Layering: defaults < env < overrides (overrides win, so tests and the CLI can pin values).
 * pre: called once at start-up; the result is frozen.
 */
export function parseConfig(overrides: Partial<Record<keyof KitConfig, unknown>> = {}, env: Readonly<Record<string, string | undefined>> = {}): KitConfig {
  const known = new Set(Object.keys(DEFAULT_CONFIG));
  for (const k of Object.keys(overrides)) {
    if (!known.has(k)) throw invalid(k, (overrides as Record<string, unknown>)[k], `a known key (one of ${[...known].join(', ')})`);
  }
  const pick = (k: keyof KitConfig): { key: string; value: unknown } => {
    if (overrides[k] !== undefined) return { key: k, value: overrides[k] };
    const envValue = env[ENV_KEYS[k]];
    if (envValue !== undefined && envValue !== '') return { key: ENV_KEYS[k], value: envValue };
    return { key: k, value: DEFAULT_CONFIG[k] };
  };
  const v = <K extends keyof KitConfig>(k: K, parse: (key: string, value: unknown) => KitConfig[K]): KitConfig[K] => {
    const { key, value } = pick(k);
    return parse(key, value);
  };
  const config: KitConfig = {
    kafkaBrokers: v('kafkaBrokers', parseBrokers),
    clientId: v('clientId', parseName),
    groupId: v('groupId', parseName),
    registryUrl: v('registryUrl', parseUrl),
    clickhouseUrl: v('clickhouseUrl', parseUrl),
    httpPort: v('httpPort', (k, x) => parseInteger(k, x, 0, 65535)),
    logLevel: v('logLevel', (k, x) => {
      if (typeof x !== 'string' || !(LOG_LEVELS as readonly string[]).includes(x)) throw invalid(k, x, `one of ${LOG_LEVELS.join(', ')}`);
      return x as LogLevel;
    }),
    maxAttempts: v('maxAttempts', (k, x) => parseInteger(k, x, 1, 100)),
    retryBaseMs: v('retryBaseMs', (k, x) => parseInteger(k, x, 1, 60_000)),
    retryMaxMs: v('retryMaxMs', (k, x) => parseInteger(k, x, 1, 3_600_000)),
    shutdownTimeoutMs: v('shutdownTimeoutMs', (k, x) => parseInteger(k, x, 0, 600_000)),
  };
  if (config.retryMaxMs < config.retryBaseMs) throw invalid('retryMaxMs', config.retryMaxMs, `>= retryBaseMs (${config.retryBaseMs})`);
  return Object.freeze(config);
}
