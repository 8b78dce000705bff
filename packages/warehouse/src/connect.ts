// Opening the warehouse of a data directory for ad-hoc queries (`warmcast sql`): a ClickHouse
// server when CLICKHOUSE_URL is set; else chDB in DIR/warehouse; and when a running stack holds
// that directory (chDB: one process per directory), the stack's HTTP endpoint recorded in
// DIR/warehouse/endpoint.json.
import { join, resolve } from 'node:path';
import type { Logger } from '@warmcast/kit';
import { WarehouseError, isWarehouseError } from './errors.ts';
import { readEndpointFile, ENDPOINT_FILE } from './http/endpoint-file.ts';
import { openWarehouse } from './warehouse.ts';
import type { Warehouse } from './warehouse.ts';

export interface OpenDataDirOptions {
  /** The stack's data directory (default ./data); the warehouse is DIR/warehouse. */
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
}

export interface DataDirWarehouse {
  readonly warehouse: Warehouse;
  /** How it was reached: a ClickHouse server, chDB in this process, or a running stack's endpoint. */
  readonly via: 'server' | 'chdb' | 'endpoint';
}

export function warehouseDir(dataDir = 'data'): string {
  return resolve(join(dataDir, 'warehouse'));
}

export async function openDataDirWarehouse(options: OpenDataDirOptions = {}): Promise<DataDirWarehouse> {
  const env = options.env ?? process.env;
  const base = { env, ...(options.logger === undefined ? {} : { logger: options.logger }) };
  if ((env['CLICKHOUSE_URL'] ?? '').trim() !== '') return { warehouse: await openWarehouse(base), via: 'server' };
  const dir = warehouseDir(options.dataDir);
  // A live stack recorded its endpoint: go there first (it holds the directory anyway, and
  // this skips starting chDB, ~1 s, only to be refused).
  const recorded = await readEndpointFile(dir);
  if (recorded !== undefined && isAlive(recorded.pid)) {
    try {
      return { warehouse: await openWarehouse({ ...base, env: {}, url: recorded.url, username: 'default', password: '', migrate: false }), via: 'endpoint' };
    } catch {
      // stale or unreachable: fall through to opening the directory
    }
  }
  try {
    return { warehouse: await openWarehouse({ ...base, dataDir: dir }), via: 'chdb' };
  } catch (err) {
    if (!isWarehouseError(err) || err.code !== 'WAREHOUSE_LOCKED') throw err;
    const record = await readEndpointFile(dir);
    if (record === undefined) {
      throw new WarehouseError('ENDPOINT_UNAVAILABLE', `${dir} is locked by another process and no ${ENDPOINT_FILE} says where it serves the warehouse over HTTP: stop that process, or run the stack with its ClickHouse endpoint enabled`, { cause: err });
    }
    try {
      // Explicit empty credentials: the endpoint has none, and CLICKHOUSE_USER is for a real server.
      return { warehouse: await openWarehouse({ ...base, env: {}, url: record.url, username: 'default', password: '', migrate: false }), via: 'endpoint' };
    } catch (e) {
      throw new WarehouseError('ENDPOINT_UNAVAILABLE', `${dir} is locked and the endpoint in ${ENDPOINT_FILE} (${record.url}, pid ${record.pid}) does not answer: ${(e as Error).message}`, { cause: e });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
