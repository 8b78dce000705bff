import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../src/config.ts';
import { WarmcastError } from '../src/errors.ts';

describe('parseConfig', () => {
  it('gives the documented defaults, frozen', () => {
    const c = parseConfig();
    expect(c).toEqual(DEFAULT_CONFIG);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.kafkaBrokers)).toBe(true);
  });

  it.each([
    ['brokers from env, comma list', {}, { WARMCAST_KAFKA_BROKERS: 'a:9092, b:9093' }, 'kafkaBrokers', ['a:9092', 'b:9093']],
    ['port from env string', {}, { WARMCAST_HTTP_PORT: '8080' }, 'httpPort', 8080],
    ['port 0 (ephemeral) allowed', { httpPort: 0 }, {}, 'httpPort', 0],
    ['override beats env', { logLevel: 'debug' }, { WARMCAST_LOG_LEVEL: 'warn' }, 'logLevel', 'debug'],
    ['env beats default', {}, { WARMCAST_LOG_LEVEL: 'warn' }, 'logLevel', 'warn'],
    ['empty env falls back to default', {}, { WARMCAST_CLIENT_ID: '' }, 'clientId', 'warmcast'],
    ['trailing slash trimmed from URL', { registryUrl: 'http://reg:8081/' }, {}, 'registryUrl', 'http://reg:8081'],
    ['IPv6 broker', { kafkaBrokers: ['[::1]:9092'] }, {}, 'kafkaBrokers', ['[::1]:9092']],
  ])('%s', (_label, overrides, env, key, expected) => {
    expect(parseConfig(overrides, env)[key as keyof typeof DEFAULT_CONFIG]).toEqual(expected);
  });

  it.each([
    ['log level', { logLevel: 'loud' }, {}, 'logLevel="loud" must be one of fatal, error, warn, info, debug, trace, silent'],
    ['log level from env names the env key', {}, { WARMCAST_LOG_LEVEL: 'loud' }, 'WARMCAST_LOG_LEVEL="loud" must be one of'],
    ['port too big', { httpPort: 70000 }, {}, 'httpPort=70000 must be an integer in 0..65535'],
    ['port not a number', {}, { WARMCAST_HTTP_PORT: 'eighty' }, 'WARMCAST_HTTP_PORT="eighty" must be an integer in 0..65535'],
    ['port fractional', { httpPort: 80.5 }, {}, 'httpPort=80.5 must be an integer'],
    ['empty broker list', { kafkaBrokers: [] }, {}, 'kafkaBrokers=[] must be a non-empty list of host:port'],
    ['broker without port', {}, { WARMCAST_KAFKA_BROKERS: 'localhost' }, 'bad entry "localhost"'],
    ['broker port out of range', { kafkaBrokers: ['h:99999'] }, {}, 'bad entry "h:99999"'],
    ['registry URL not http', { registryUrl: 'ftp://x' }, {}, 'registryUrl="ftp://x" must be an http(s) URL'],
    ['clickhouse URL garbage', {}, { WARMCAST_CLICKHOUSE_URL: 'not a url' }, 'WARMCAST_CLICKHOUSE_URL="not a url" must be an http(s) URL'],
    ['client id with space', { clientId: 'my app' }, {}, 'clientId="my app" must be 1-249 characters'],
    ['zero attempts', { maxAttempts: 0 }, {}, 'maxAttempts=0 must be an integer in 1..100'],
    ['max below base', { retryBaseMs: 500, retryMaxMs: 100 }, {}, 'retryMaxMs=100 must be >= retryBaseMs (500)'],
    ['unknown key', { kafkaBroker: 'x:1' } as Record<string, unknown>, {}, 'kafkaBroker="x:1" must be a known key'],
  ])('rejects %s', (_label, overrides, env, message) => {
    let caught: unknown;
    try { parseConfig(overrides, env); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(WarmcastError);
    expect((caught as WarmcastError).code).toBe('CONFIG_INVALID');
    expect((caught as WarmcastError).retriable).toBe(false);
    expect((caught as WarmcastError).message).toContain(message);
  });
});

describe('config.example.env', () => {
  it('lists every key and parses to the documented defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const { ENV_KEYS } = await import('../src/config.ts');
    const text = readFileSync(new URL('../config.example.env', import.meta.url), 'utf8');
    const env = Object.fromEntries(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(env).sort()).toEqual(Object.values(ENV_KEYS).sort());
    expect(parseConfig({}, env)).toEqual(DEFAULT_CONFIG);
  });
});
