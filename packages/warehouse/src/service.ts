// createWarehouseService: the warehouse as one service for `warmcast up` and main.ts: opens the
// warehouse (chDB dir or CLICKHOUSE_URL; migrations applied), serves it over ClickHouse HTTP for
// `warmcast sql` (chDB only; recorded in <dir>/endpoint.json), and runs the sink.
// start: warehouse -> endpoint -> sink. close (reverse): sink (stop consuming, flush writers)
// -> endpoint -> warehouse. No process-global state: several can run in one process as long
// as they use the same chDB directory (one per process).
import type { KitConfig, Logger } from '@warmcast/kit';
import { createLogger } from '@warmcast/kit';
import { openWarehouse } from './warehouse.ts';
import type { Warehouse } from './warehouse.ts';
import { serveClickHouseHttp } from './http/endpoint.ts';
import type { ClickHouseHttpServer } from './http/endpoint.ts';
import { createWarehouseSink } from './sink/sink.ts';
import type { WarehouseSink, WarehouseSinkOptions } from './sink/sink.ts';
import { WarehouseError } from './errors.ts';

export interface WarehouseServiceOptions {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** chDB directory (default data/warehouse); ignored with a ClickHouse URL. */
  readonly dataDir?: string;
  /** ClickHouse server URL; default env CLICKHOUSE_URL; unset = chDB. */
  readonly url?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The ClickHouse-compatible endpoint (chDB only); default { port: 0 }; false = none. */
  readonly endpoint?: { readonly port: number; readonly host?: string } | false;
  /** Sink options (topics, batch size/age, group id, ...). */
  readonly sink?: Omit<WarehouseSinkOptions, 'config' | 'warehouse' | 'logger'>;
}

export interface WarehouseService {
  readonly log: Logger;
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): Record<string, number>;
  /** The open warehouse (after start); ingest in the same process may share it. */
  readonly warehouse: Warehouse;
  /** The endpoint URL, when one is served. */
  readonly endpointUrl: string | undefined;
}

export function createWarehouseService(options: WarehouseServiceOptions): WarehouseService {
  const log = options.logger ?? createLogger({ name: options.config.clientId, level: options.config.logLevel });
  let warehouse: Warehouse | undefined;
  let endpoint: ClickHouseHttpServer | undefined;
  let sink: WarehouseSink | undefined;
  let closedStats: Record<string, number> | undefined;
  const service: WarehouseService = {
    log,
    get warehouse(): Warehouse {
      if (warehouse === undefined) throw new WarehouseError('CLOSED', 'warehouse service not started');
      return warehouse;
    },
    get endpointUrl() { return endpoint?.url; },
    async start() {
      warehouse = await openWarehouse({
        logger: log,
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(options.url === undefined ? {} : { url: options.url }),
        ...(options.env === undefined ? {} : { env: options.env }),
      });
      try {
        const ep = options.endpoint ?? { port: 0 };
        if (ep !== false && warehouse.mode === 'chdb') endpoint = await serveClickHouseHttp(warehouse, { ...ep, logger: log });
        sink = createWarehouseSink({ config: options.config, warehouse, logger: log, ...options.sink });
        await sink.start();
      } catch (err) {
        await service.close().catch(() => undefined);
        throw err;
      }
    },
    async close() {
      let first: unknown;
      const step = async (f: () => Promise<void>): Promise<void> => { try { await f(); } catch (err) { first ??= err; } };
      if (sink !== undefined) await step(() => (sink as WarehouseSink).close());
      if (endpoint !== undefined) await step(() => (endpoint as ClickHouseHttpServer).close());
      if (warehouse !== undefined) await step(() => (warehouse as Warehouse).close());
      closedStats = service.stats(); // the counts stay readable after close (a final summary)
      sink = undefined;
      endpoint = undefined;
      if (first !== undefined) throw first;
    },
    stats() {
      if (sink === undefined && closedStats !== undefined) return { ...closedStats };
      return { ...(sink?.stats() ?? {}), ...(endpoint === undefined ? {} : { httpRequests: endpoint.stats()['requests'] ?? 0 }) };
    },
  };
  return service;
}
