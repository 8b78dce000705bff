import type { Trace } from '../../src/replay/trace.ts';

/** A small in-memory trace: rows of per-minute counts, one function each. */
export function smallTrace(rows: number[][], opts: { memoryMb?: number[]; durationSec?: number[] } = {}): Trace {
  const minutes = rows[0]?.length ?? 0;
  return {
    layout: 'day',
    minutes,
    startMinuteOfDay: 0,
    functions: rows.map((_, i) => ({ id: `f${i}`, user: `u${i}`, app: `a${i}`, memoryMb: opts.memoryMb?.[i] ?? 100, durationSec: opts.durationSec?.[i] ?? 1 })),
    counts: rows.map((r) => Int32Array.from(r)),
  };
}
