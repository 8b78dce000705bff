// Runs the aggregator from the environment: WARMCAST_* (kit) and WARMCAST_AGGREGATOR_* keys.
import { closeOnSignals, createLogger, parseConfig } from '@warmcast/kit';
import { createAggregatorService } from './service.ts';
import { parseAggregatorSettings } from './settings.ts';

const env = process.env;
const config = parseConfig({
  clientId: env['WARMCAST_CLIENT_ID'] ? undefined : 'aggregator',
  groupId: env['WARMCAST_GROUP_ID'] ? undefined : 'aggregator',
  // Two consumers, closed one after the other, each waiting for its in-flight fetch (kafkajs
  // long-polls up to 5 s): ~9.5 s measured, so the kit's 10 s default would time out.
  shutdownTimeoutMs: env['WARMCAST_SHUTDOWN_TIMEOUT_MS'] ? undefined : 20_000,
}, env);
const logger = createLogger({ name: config.clientId, level: config.logLevel });
const settings = parseAggregatorSettings({}, env);
const service = createAggregatorService({ config, logger, settings });
try {
  await service.start();
} catch (err) {
  logger.error({ err }, 'start failed');
  process.exit(1);
}
logger.info({ tickMs: settings.tickMs, latenessMs: settings.latenessMs, confidence: settings.confidence, correlation: settings.correlation }, 'aggregator running');
const summary = setInterval(() => logger.info({ stats: service.stats() }, 'aggregator stats'), 60_000);
summary.unref();
closeOnSignals({ close: () => service.close(), log: logger });
