// Runs ingest from the environment: WARMCAST_* (kit), WARMCAST_INGEST_* (ingest options and
// HMAC key), CLICKHOUSE_URL or WARMCAST_INGEST_WAREHOUSE_DIR (chDB data dir, default ./data/warehouse).
// `node --import tsx services/ingest/src/main.ts`
import { closeOnSignals, parseConfig } from '@warmcast/kit';
import { openWarehouse } from '@warmcast/warehouse';
import { createIngestService } from './service.ts';
import { hmacKeysFromEnv, ingestEnv } from './ingest-env.ts';

async function main(): Promise<void> {
  const env = process.env;
  const config = parseConfig({ clientId: env['WARMCAST_CLIENT_ID'] ?? 'ingest', groupId: env['WARMCAST_GROUP_ID'] ?? 'ingest' }, env);
  const options = ingestEnv(env);
  const { key, previous } = hmacKeysFromEnv(env);
  const warehouse = await openWarehouse({ ...(env['WARMCAST_INGEST_WAREHOUSE_DIR'] === undefined ? {} : { dataDir: env['WARMCAST_INGEST_WAREHOUSE_DIR'] }) });
  const service = createIngestService({ config, warehouse, hmacKey: key, previousHmacKey: previous, options });
  service.kit.log.info({ keyId: key.id, previousKeyId: previous?.id ?? null, referenceClock: options.referenceClock, pairWindowMs: options.pairWindowMs }, 'ingest starting');
  await service.start();
  closeOnSignals({ log: service.kit.log, close: async () => { await service.close(); await warehouse.close(); } });
}

main().catch((err: unknown) => {
  console.error(`ingest: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
