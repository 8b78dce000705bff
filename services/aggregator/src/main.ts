// Runs the aggregator from the environment: WARMCAST_* (kit) and WARMCAST_AGGREGATOR_* keys.
import { closeOnSignals, createLogger, parseConfig } from '@warmcast/kit';
import { createAggregatorService } from './service.ts';
import { parseAggregatorSettings } from './settings.ts';

const env = process.env;
const config = parseConfig({
  clientId: env['WARMCAST_CLIENT_ID'] ? undefined : 'aggregator',
  groupId: env['WARMCAST_GROUP_ID'] ? undefined : 'aggregator',
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
