// The exact minute-slot scorer of DESIGN.md "Measuring prediction quality".
// cold[f,t] = min(n, max(0, r - w)); wasted[f,t] = max(0, w - r) * m_f MB-minutes; only t >= warmup counts.
import { percentile } from './percentile.ts';
import type { Trace } from './trace.ts';

export interface FunctionScore {
  readonly invocations: number;
  readonly cold: number;
  readonly wastedMbMinutes: number;
}

export interface ReplayScore {
  readonly scoredInvocations: number;
  readonly coldInvocations: number;
  /** 100 * cold / invocations over all scored minutes of all functions */
  readonly coldStartPct: number;
  /** percentiles (linear interpolation, see percentile.ts) of per-function cold-start %, over functions with >= 1 scored invocation */
  readonly p50FunctionColdPct: number;
  readonly p75FunctionColdPct: number;
  readonly scoredFunctions: number;
  /** sum of wasted MB-minutes / 1024 */
  readonly wastedGbMinutes: number;
  readonly perFunction: readonly FunctionScore[];
}

/** pre: r and w have one row per function, each at least trace.minutes long; 0 <= warmup <= minutes. */
export function scoreReplay(trace: Trace, r: readonly Int32Array[], w: readonly ArrayLike<number>[], warmup: number): ReplayScore {
  const perFunction: FunctionScore[] = [];
  let inv = 0;
  let cold = 0;
  let wastedMb = 0;
  const fnPct: number[] = [];
  for (let f = 0; f < trace.functions.length; f++) {
    const n = trace.counts[f];
    const rf = r[f];
    const wf = w[f];
    const m = trace.functions[f]?.memoryMb ?? 0;
    if (n === undefined || rf === undefined || wf === undefined) throw new RangeError(`scoreReplay: missing row ${f}`);
    let fi = 0;
    let fc = 0;
    let fw = 0;
    for (let t = warmup; t < trace.minutes; t++) {
      const nt = n[t] ?? 0;
      const rt = rf[t] ?? 0;
      const wt = wf[t] ?? 0;
      fi += nt;
      fc += Math.min(nt, Math.max(0, rt - wt));
      fw += Math.max(0, wt - rt) * m;
    }
    perFunction.push({ invocations: fi, cold: fc, wastedMbMinutes: fw });
    inv += fi;
    cold += fc;
    wastedMb += fw;
    if (fi > 0) fnPct.push((100 * fc) / fi);
  }
  return {
    scoredInvocations: inv,
    coldInvocations: cold,
    coldStartPct: inv > 0 ? (100 * cold) / inv : 0,
    p50FunctionColdPct: percentile(fnPct, 50),
    p75FunctionColdPct: percentile(fnPct, 75),
    scoredFunctions: fnPct.length,
    wastedGbMinutes: wastedMb / 1024,
    perFunction,
  };
}
