// A replayable trace: per-function minute counts plus the duration and memory the replay
// model (DESIGN.md "Measuring prediction quality") needs. Pure data, no I/O.

export type TraceLayout = 'day' | '8h';

export interface TraceFunction {
  /** HashFunction */
  readonly id: string;
  /** the user: HashOwner */
  readonly user: string;
  readonly app: string;
  readonly trigger?: string;
  /** AverageAllocatedMb (by function hash when the file has one, else by app; 150 when missing) */
  readonly memoryMb: number;
  /** durations `Average` / 1000, at least 0.001 */
  readonly durationSec: number;
}

export interface Trace {
  readonly layout: TraceLayout;
  readonly functions: readonly TraceFunction[];
  /** counts[f][t] = invocations of function f in minute slot t (t = 0 is the first minute column) */
  readonly counts: readonly Int32Array[];
  /** number of minute slots T */
  readonly minutes: number;
  /** minute of day of slot 0: 0 for the day layout (minute_1 = 00:00), 480 for the 8h sample */
  readonly startMinuteOfDay: number;
}

export const DEFAULT_MEMORY_MB = 150;
export const MIN_DURATION_SEC = 0.001;

/** r = 0 when n = 0, else max(1, ceil(n * d / 60)): instances busy in that minute. */
export function instancesNeeded(n: number, durationSec: number): number {
  if (n <= 0) return 0;
  return Math.max(1, Math.ceil((n * durationSec) / 60));
}

/** r[f][t] for the whole trace. */
export function instanceMatrix(trace: Trace): Int32Array[] {
  return trace.counts.map((row, f) => {
    const d = trace.functions[f]?.durationSec ?? MIN_DURATION_SEC;
    const r = new Int32Array(row.length);
    for (let t = 0; t < row.length; t++) r[t] = instancesNeeded(row[t] ?? 0, d);
    return r;
  });
}

/** The default warm-up: the first half of the slots (720 of a 1440-minute day, 240 of the 8h sample). */
export function defaultWarmup(trace: Trace): number {
  return Math.floor(trace.minutes / 2);
}
