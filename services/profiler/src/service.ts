// STUB (API only, committed for the 15:05 deadline): the implementation follows.
import type { ProfilerService, ProfilerServiceOptions } from './service-types.ts';
import { profilerOptions } from './core/options.ts';

export function createProfilerService(options: ProfilerServiceOptions): ProfilerService {
  profilerOptions(options);
  return {
    start: () => Promise.reject(new Error('profiler: not implemented yet')),
    close: () => Promise.resolve(),
    stats: () => ({}),
  };
}
