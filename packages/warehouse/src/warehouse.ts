// The connection (shell): chDB in-process by default (a data directory, no server), or a
// ClickHouse server over HTTP when `url` or CLICKHOUSE_URL is set. Both go through the same
// @clickhouse/client, so every query behaves the same on either. Inserts encode rows once per
// batch (insert.ts: RowBinary in chDB mode, JSONCompactEachRow over HTTP) and hand the bytes to
// chDB (a temp file read by file(); text formats through its raw insert) or to the server as an
// INSERT body; queries take server-side parameters ({name:Type} + query_params), never SQL
// built from input. Opening applies the numbered migrations (migrate.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { ChdbConnection } from 'chdb/connection';
import type { Logger } from '@warmcast/kit';
import { WarehouseError, toWarehouseError } from './errors.ts';
import type { InsertableTable, TableRows } from './core/row-types.ts';
import { applyMigrations } from './migrate.ts';
import type { MigrationReport } from './migrate.ts';
import { DEFAULT_INSERT_FORMATS, chdbSender, encodeInsert, httpSender } from './insert.ts';
import type { InsertSender } from './insert.ts';
import type { InsertFormat } from './core/row-encoder.ts';

export interface WarehouseOptions {
  /** chDB data directory (created if missing); ignored when a URL is given. Default ./data/warehouse. */
  readonly dataDir?: string;
  /** ClickHouse server URL (http(s)://host:8123); default env CLICKHOUSE_URL; unset = chDB. */
  readonly url?: string;
  /** Default env CLICKHOUSE_USER, then 'default'. */
  readonly username?: string;
  /** Default env CLICKHOUSE_PASSWORD, then ''. */
  readonly password?: string;
  /** Server mode only (chDB uses 'default'). Default env CLICKHOUSE_DATABASE, then 'default'. */
  readonly database?: string;
  readonly logger?: Logger;
  /** Apply pending migrations on open (default true). `warmcast sql` opens without, read-mostly. */
  readonly migrate?: boolean;
  /** Where CLICKHOUSE_* are read from; default process.env (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type QueryParams = Readonly<Record<string, unknown>>;

export interface Warehouse {
  /** 'chdb' (in-process, dataDir) or 'http' (a ClickHouse server, or a running stack's endpoint). */
  readonly mode: 'chdb' | 'http';
  /** The data directory (chdb) or the URL without credentials (http). */
  readonly location: string;
  /** The underlying @clickhouse/client, for streaming or anything not wrapped here. */
  readonly client: ClickHouseClient;
  /** What opening applied (empty when migrate: false). */
  readonly migrations: MigrationReport;
  /** Inserts rows (encoded once, see insert.ts); an empty list is a no-op. Repeats collapse on merge (ReplacingMergeTree keys). */
  insert<T extends InsertableTable>(table: T, rows: readonly TableRows[T][]): Promise<void>;
  /** Runs a SELECT with server-side parameters: `WHERE user_key = {user:String}` + `{ user }`. */
  query<R = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<R[]>;
  /** Runs DDL or any statement without a result set. */
  command(sql: string, params?: QueryParams): Promise<void>;
  close(): Promise<void>;
}

type ChdbAsClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export const DEFAULT_DATA_DIR = join('data', 'warehouse');

// Returned as numbers, not strings: UInt64/Int64 counts (count(), sums) read as JS numbers
// (exact below 2^53 = 9e15, far above any count here), so rows are usable without parsing.
const SETTINGS: ClickHouseSettings = { output_format_json_quote_64bit_integers: 0, date_time_output_format: 'simple' };

export async function openWarehouse(options: WarehouseOptions = {}): Promise<Warehouse> {
  const env = options.env ?? process.env;
  const url = options.url ?? nonEmpty(env['CLICKHOUSE_URL']);
  const log = options.logger;
  let client: ClickHouseClient;
  let sender: InsertSender;
  let mode: Warehouse['mode'];
  let location: string;
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    } catch (err) {
      throw new WarehouseError('CONFIG_INVALID', `CLICKHOUSE_URL=${JSON.stringify(url)} must be an http(s) URL, e.g. http://localhost:8123`, { cause: err });
    }
    mode = 'http';
    location = `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    client = createClient({
      url,
      username: options.username ?? nonEmpty(env['CLICKHOUSE_USER']) ?? 'default',
      password: options.password ?? env['CLICKHOUSE_PASSWORD'] ?? '',
      database: options.database ?? nonEmpty(env['CLICKHOUSE_DATABASE']) ?? 'default',
      clickhouse_settings: SETTINGS,
      request_timeout: 60_000,
    });
    sender = httpSender(client);
  } else {
    mode = 'chdb';
    location = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    const opened = openChdb(location);
    client = opened.client;
    sender = chdbSender(opened.connection);
  }
  const warehouse = wrap(client, sender, mode, location);
  try {
    if (mode === 'http') await ping(client, location);
    const report = options.migrate === false ? { applied: [], current: 0 } : await applyMigrations(warehouse, log);
    (warehouse as { migrations: MigrationReport }).migrations = report;
    log?.info({ mode, location, schemaVersion: report.current, applied: report.applied }, 'warehouse open');
    return warehouse;
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}

function openChdb(dir: string): { client: ClickHouseClient; connection: ChdbConnection } {
  mkdirSync(dir, { recursive: true });
  try {
    // chdb types its Connection against @clickhouse/client-common, the client bundles its own
    // copy of the same interface; they differ only in where the types live.
    const connection = createChdbConnection({ path: dir });
    return { connection, client: createClient({ connection: connection as unknown as ChdbAsClientConnection, clickhouse_settings: SETTINGS }) };
  } catch (err) {
    // chDB refuses a directory another process holds (its `status` file is locked) and, within
    // one process, a second directory while the first is open. Neither is retriable.
    const held = existsSync(join(dir, 'status'));
    throw new WarehouseError('WAREHOUSE_LOCKED', held
      ? `warehouse directory ${dir} is in use by another process (Cannot lock file ${join(dir, 'status')}; chDB allows one process per directory): stop it, or query the running stack over HTTP (warmcast sql reads ${join(dir, 'endpoint.json')}), or use another --data directory`
      : `cannot open chDB at ${dir}: this process already has another chDB directory open (one per process)`, { cause: err });
  }
}

async function ping(client: ClickHouseClient, location: string): Promise<void> {
  const r = await client.ping();
  if (!r.success) throw new WarehouseError('WAREHOUSE_UNAVAILABLE', `ClickHouse at ${location} did not answer: ${r.error.message}`, { cause: r.error });
}

// Per warehouse: its insert sender, for insertWithFormat (the bench and the equivalence test).
const senders = new WeakMap<Warehouse, { sender: InsertSender; guard: (what: string) => void }>();

/**
 * Internal (not exported by index.ts): insert through the encoder of `format` instead of the
 * default, so the bench and tests can compare every candidate on the same warehouse.
 */
export async function insertWithFormat<T extends InsertableTable>(warehouse: Warehouse, table: T, rows: readonly TableRows[T][], format: InsertFormat, into?: string): Promise<void> {
  const s = senders.get(warehouse);
  if (s === undefined) throw new TypeError('insertWithFormat: not a warehouse from openWarehouse');
  s.guard(`insert into ${into ?? table}`);
  if (rows.length === 0) return;
  let batch;
  try {
    batch = encodeInsert(table, rows, format, into);
  } catch (err) {
    throw toWarehouseError(err, `encode ${rows.length} rows for ${table}`);
  }
  await s.sender(batch);
}

/**
 * Internal: the previous insert path, @clickhouse/client insert() with JSONEachRow (the client
 * JSON.stringifies each row; chDB then parses the INSERT and its inline rows as one SQL text).
 * Kept as the reference the equivalence test and the bench compare the fast path against.
 */
export async function insertViaClient<T extends InsertableTable>(warehouse: Warehouse, table: T, rows: readonly TableRows[T][], into: string = table): Promise<void> {
  if (rows.length === 0) return;
  try {
    await warehouse.client.insert({ table: into, values: rows as unknown[], format: 'JSONEachRow' });
  } catch (err) {
    throw toWarehouseError(err, `insert ${rows.length} rows into ${table}`);
  }
}

function wrap(client: ClickHouseClient, sender: InsertSender, mode: Warehouse['mode'], location: string): Warehouse {
  let closed = false;
  const guard = (what: string): void => {
    if (closed) throw new WarehouseError('CLOSED', `${what}: warehouse ${location} is closed`);
  };
  const warehouse: Warehouse = {
    mode, location, client, migrations: { applied: [], current: 0 },
    insert: (table, rows) => insertWithFormat(warehouse, table, rows, DEFAULT_INSERT_FORMATS[mode]),
    async query<R>(sql: string, params: QueryParams = {}): Promise<R[]> {
      guard('query');
      try {
        const rs = await client.query({ query: sql, query_params: { ...params }, format: 'JSONEachRow' });
        return await rs.json<R>();
      } catch (err) {
        throw toWarehouseError(err, 'query');
      }
    },
    async command(sql, params = {}) {
      guard('command');
      try {
        await client.command({ query: sql, query_params: { ...params } });
      } catch (err) {
        throw toWarehouseError(err, 'command');
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
  senders.set(warehouse, { sender, guard });
  return warehouse;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
