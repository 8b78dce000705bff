// Runs the profiler from the environment: WARMCAST_* (kit) + WARMCAST_PROFILER_* keys. A bad
// configuration prints one line (key, value, what is allowed) and exits 2.
import { closeOnSignals, createLogger, isWarmcastError, parseConfig } from '@warmcast/kit';
import { createProfilerService } from './service.ts';
import type { ProfilerService } from './service-types.ts';
import { profilerGlobalModelsFromEnv, profilerOptionsFromEnv, profilerProducerFromEnv } from './profiler-env.ts';

let service: ProfilerService;
let config;
try {
  config = parseConfig({ clientId: 'profiler', groupId: 'profiler' }, process.env);
  service = createProfilerService({ config, logger: createLogger({ name: config.clientId, level: config.logLevel }), ...profilerOptionsFromEnv(process.env), producer: profilerProducerFromEnv(process.env), globalModels: profilerGlobalModelsFromEnv(process.env) });
} catch (err) {
  if (!isWarmcastError(err) || err.code !== 'CONFIG_INVALID') throw err;
  process.stderr.write(`warmcast profiler: ${err.message}\n`);
  process.exit(2);
}
const logger = createLogger({ name: config.clientId, level: config.logLevel });
await service.start();
closeOnSignals({ close: () => service.close(), log: logger });
