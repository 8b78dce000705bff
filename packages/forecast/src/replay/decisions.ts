// The decisions file: `function,minute,warm`, one row per (function, minute) with warm > 0,
// minute 0 = the first minute column of the trace, so an independent scorer can recompute
// every figure from the trace and this file alone.
import type { Trace } from './trace.ts';

export function formatDecisions(trace: Trace, w: readonly ArrayLike<number>[]): string {
  const out: string[] = ['function,minute,warm'];
  trace.functions.forEach((fn, f) => {
    const row = w[f];
    if (row === undefined) return;
    for (let t = 0; t < row.length; t++) {
      const v = row[t] ?? 0;
      if (v > 0) out.push(`${fn.id},${t},${v}`);
    }
  });
  return out.join('\n') + '\n';
}
