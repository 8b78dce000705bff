// Runs the profiler from the environment: WARMCAST_* (kit) + WARMCAST_PROFILER_* keys.
import { closeOnSignals, createLogger, parseConfig } from '@warmcast/kit';
import { createProfilerService } from './service.ts';
import { profilerEnv } from './profiler-env.ts';

const config = parseConfig({ clientId: 'profiler', groupId: 'profiler' }, process.env);
const logger = createLogger({ name: config.clientId, level: config.logLevel });
const service = createProfilerService({ config, logger, ...profilerEnv(process.env) });
await service.start();
closeOnSignals({ close: () => service.close(), log: logger });
