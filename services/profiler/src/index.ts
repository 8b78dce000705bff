// @warmcast/profiler: the per-user stream profiler (see README.md).
export { createProfilerService } from './service.ts';
export type { ProfilerService, ProfilerServiceOptions } from './service-types.ts';
export { profilerOptions, DEFAULT_PROFILER_OPTIONS } from './core/options.ts';
export type { ProfilerOptions } from './core/options.ts';
export { profilerEnv, profilerOptionsFromEnv, profilerProducerFromEnv, profilerGlobalModelsFromEnv, PROFILER_ENV_KEYS, PROFILER_PRODUCER_ENV_KEY, PROFILER_GLOBAL_MODELS_ENV_KEY } from './profiler-env.ts';
export { DEFAULT_PRODUCER, PRODUCER_KINDS } from './shell/lean-profiler-producer.ts';
export type { ProducerKind } from './shell/lean-profiler-producer.ts';
