// Shell: reads a trace directory (either layout) into a TrafficTrace: the forecast
// package's Trace plus the duration and memory percentiles the generator draws from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrace } from '@warmcast/forecast';
import { parseProfiles, type TrafficTrace } from './core/profile.ts';

const LAYOUTS = [
  { invocations: 'day-inv.csv', durations: 'day-run.csv', memory: 'day-mem.csv' },
  { invocations: 'invocations.csv', durations: 'durations.csv', memory: 'memory.csv' },
] as const;

/** Throws the forecast package's TraceError (TRACE_NOT_FOUND, TRACE_BAD_HEADER, ...) for a bad directory. */
export function loadTrafficTrace(dir: string): TrafficTrace {
  const trace = loadTrace(dir);
  const files = LAYOUTS.find((l) => existsSync(join(dir, l.invocations))) ?? LAYOUTS[0];
  const profiles = parseProfiles(trace, {
    durations: readFileSync(join(dir, files.durations), 'utf8'),
    memory: readFileSync(join(dir, files.memory), 'utf8'),
  });
  return { trace, profiles };
}
