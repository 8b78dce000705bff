// Entry point: `node --import tsx packages/warehouse/src/main.ts`. Kit keys (WARMCAST_*) and
// WARMCAST_WAREHOUSE_* (core/env.ts) from the environment; CLICKHOUSE_URL switches to a server.
// Stores the pipeline's topics in the warehouse and serves it for `warmcast sql`.
import { closeOnSignals, parseConfig } from '@warmcast/kit';
import { warehouseEnv } from './core/env.ts';
import { createWarehouseService } from './service.ts';

const env = process.env;
const config = parseConfig({ clientId: env['WARMCAST_CLIENT_ID'] ?? 'warehouse', groupId: env['WARMCAST_GROUP_ID'] ?? 'warehouse' }, env);
const own = warehouseEnv(env);
const service = createWarehouseService({
  config, env, dataDir: own.dataDir,
  endpoint: own.httpPort < 0 ? false : { port: own.httpPort, host: own.httpHost },
  sink: { maxRows: own.maxRows, maxDelayMs: own.maxDelayMs },
});
closeOnSignals(service);
await service.start();
service.log.info({ endpoint: service.endpointUrl, location: service.warehouse.location }, 'warehouse service started');
const summary = setInterval(() => service.log.info(service.stats(), 'warehouse summary'), 60_000);
summary.unref();
