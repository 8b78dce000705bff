// The pure core of the profiler (no I/O, no clocks): used by the shell and by the tests.
export { PartitionProfiler, partitionKey, isPartitionKey } from './partition-profiler.ts';
export type { PartitionState, TickOutput, FoldStats } from './partition-profiler.ts';
export { profilerOptions, DEFAULT_PROFILER_OPTIONS, MINUTE_MS } from './options.ts';
export type { ProfilerOptions } from './options.ts';
export { windowForecast } from './window-forecast.ts';
export { scoreQuantiles, scorePending, actualsOver } from './accuracy.ts';
export { requestNeed, fitNeed, PRIOR_NEED } from './request-need.ts';
export { STATE_VERSION, newUserState, encodeUserState, decodeUserState } from './user-state.ts';
export type { UserState } from './user-state.ts';
