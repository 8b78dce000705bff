// The only file of the forecast package that touches the file system: finds the three CSV
// files of a trace directory (either layout) and hands their text to the pure parser.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Trace } from '../trace.ts';
import { parseTrace } from './parse-trace.ts';
import { TraceError } from './trace-error.ts';

const LAYOUT_FILES = [
  { invocations: 'day-inv.csv', durations: 'day-run.csv', memory: 'day-mem.csv' },
  { invocations: 'invocations.csv', durations: 'durations.csv', memory: 'memory.csv' },
] as const;

export function loadTrace(dir: string): Trace {
  const files = LAYOUT_FILES.find((l) => existsSync(join(dir, l.invocations)));
  if (files === undefined) {
    throw new TraceError('TRACE_NOT_FOUND', `${dir}: neither day-inv.csv nor invocations.csv found`);
  }
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (err) {
      throw new TraceError('TRACE_NOT_FOUND', `${join(dir, name)}: cannot read`, { cause: err });
    }
  };
  return parseTrace({ invocations: read(files.invocations), durations: read(files.durations), memory: read(files.memory) });
}
