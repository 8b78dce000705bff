// @warmcast/profiler: the per-user stream profiler (see README.md).
export { createProfilerService } from './service.ts';
export type { ProfilerService, ProfilerServiceOptions } from './service-types.ts';
export { profilerOptions, DEFAULT_PROFILER_OPTIONS } from './core/options.ts';
export type { ProfilerOptions } from './core/options.ts';
export { profilerEnv, profilerOptionsFromEnv, PROFILER_ENV_KEYS } from './profiler-env.ts';
