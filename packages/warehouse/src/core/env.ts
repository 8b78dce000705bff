// WARMCAST_WAREHOUSE_* keys (pure): the warehouse service's own settings, parsed once at
// start-up; a bad value names the key, the value and what is allowed. CLICKHOUSE_URL,
// CLICKHOUSE_USER and CLICKHOUSE_PASSWORD are read by openWarehouse (a server instead of chDB).
import { WarehouseError } from '../errors.ts';

export const WAREHOUSE_ENV_KEYS = Object.freeze({
  dataDir: 'WARMCAST_WAREHOUSE_DIR',
  httpPort: 'WARMCAST_WAREHOUSE_HTTP_PORT',
  httpHost: 'WARMCAST_WAREHOUSE_HTTP_HOST',
  maxRows: 'WARMCAST_WAREHOUSE_MAX_ROWS',
  maxDelayMs: 'WARMCAST_WAREHOUSE_MAX_DELAY_MS',
});

export interface WarehouseEnv {
  /** chDB directory; default data/warehouse. */
  readonly dataDir: string;
  /** ClickHouse-compatible HTTP endpoint port (0 = any free one, recorded in endpoint.json); -1 = no endpoint. Default 0. */
  readonly httpPort: number;
  readonly httpHost: string;
  readonly maxRows: number;
  readonly maxDelayMs: number;
}

export const WAREHOUSE_ENV_DEFAULTS: WarehouseEnv = Object.freeze({ dataDir: 'data/warehouse', httpPort: 0, httpHost: '127.0.0.1', maxRows: 10_000, maxDelayMs: 1000 });

function integer(env: Readonly<Record<string, string | undefined>>, key: string, min: number, max: number, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new WarehouseError('CONFIG_INVALID', `${key}=${JSON.stringify(raw)} must be an integer in ${min}..${max}`);
  return n;
}

export function warehouseEnv(env: Readonly<Record<string, string | undefined>>): WarehouseEnv {
  const k = WAREHOUSE_ENV_KEYS;
  const d = WAREHOUSE_ENV_DEFAULTS;
  const text = (key: string, fallback: string): string => {
    const v = env[key];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  return Object.freeze({
    dataDir: text(k.dataDir, d.dataDir),
    httpPort: integer(env, k.httpPort, -1, 65535, d.httpPort),
    httpHost: text(k.httpHost, d.httpHost),
    maxRows: integer(env, k.maxRows, 1, 1_000_000, d.maxRows),
    maxDelayMs: integer(env, k.maxDelayMs, 0, 600_000, d.maxDelayMs),
  });
}
