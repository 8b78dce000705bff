// The whole replay: baselines and warmcast's policy (knob swept) scored on one trace.
import { FIXED_KEEP_ALIVE_MINUTES, fixedKeepAlive } from './baselines/fixed-keep-alive.ts';
import { hybridHistogram } from './baselines/hybrid-histogram.ts';
import { runModelPolicy } from './run-policy.ts';
import { scoreReplay } from './scorer.ts';
import type { ReplayScore } from './scorer.ts';
import { instanceMatrix } from './trace.ts';
import type { Trace } from './trace.ts';

/** The knob values swept for the frontier: geometric with ratio ~sqrt(2), 0.005 .. 0.32. */
export const RISK_SWEEP = [0.005, 0.007, 0.01, 0.014, 0.02, 0.028, 0.04, 0.057, 0.08, 0.113, 0.16, 0.226, 0.32] as const;

export interface PolicyResult {
  readonly policy: string;
  readonly family: 'fixed' | 'hybrid' | 'warmcast' | 'warmcast+neural';
  readonly parameter: number | null;
  readonly coldStartPct: number;
  readonly p50FunctionColdPct: number;
  readonly p75FunctionColdPct: number;
  readonly wastedGbMinutes: number;
  readonly memoryVsFixed10: number;
  readonly scoredInvocations: number;
  readonly coldInvocations: number;
  readonly scoredFunctions: number;
  /** wall time of this policy's decisions and scoring, from the injected clock */
  readonly seconds: number;
}

export interface ReplayOptions {
  readonly warmup: number;
  /** 'all', 'fixed-K', 'hybrid' or 'warmcast' */
  readonly policy: string;
  readonly risks: readonly number[];
  /** monotonic milliseconds (the shell passes performance.now) */
  readonly clockMs: () => number;
  readonly onProgress?: (label: string, t: number, total: number) => void;
  /** when given, warmcast is also run with the neural model as an extra candidate ('warmcast+neural') */
  readonly neural?: { readonly pAny: readonly ArrayLike<number>[]; readonly from: number };
  /** the global combiner's forecasts (replay/combined-forecasts.ts), a candidate of every warmcast variant */
  readonly combined?: readonly ArrayLike<number>[];
}

export interface ReplayReport {
  readonly trace: { layout: string; functions: number; minutes: number; startMinuteOfDay: number; warmup: number };
  /** filled in by the shell when the neural model ran */
  neural?: { fitSeconds: number; predictSeconds: number; backend: string; finalLoss: number; trainedOnMinutes: number };
  readonly fixed10: { coldStartPct: number; wastedGbMinutes: number };
  /** filled in by the shell when the combiner ran (once per trace, shared by every knob value) */
  combiner?: { fits: number; seconds: number; features: string[]; coefficientsByBand: number[][] };
  readonly results: PolicyResult[];
}

export function runReplay(trace: Trace, opts: ReplayOptions): ReplayReport {
  if (!(opts.warmup >= 0 && opts.warmup < trace.minutes)) throw new RangeError(`warmup=${opts.warmup} outside [0, ${trace.minutes})`);
  const r = instanceMatrix(trace);
  const ref = scoreReplay(trace, r, fixedKeepAlive(r, 10), opts.warmup);
  const results: PolicyResult[] = [];
  const add = (policy: string, family: PolicyResult['family'], parameter: number | null, s: ReplayScore, t0: number): void => {
    results.push({
      policy, family, parameter,
      coldStartPct: s.coldStartPct,
      p50FunctionColdPct: s.p50FunctionColdPct,
      p75FunctionColdPct: s.p75FunctionColdPct,
      wastedGbMinutes: s.wastedGbMinutes,
      memoryVsFixed10: ref.wastedGbMinutes > 0 ? s.wastedGbMinutes / ref.wastedGbMinutes : Number.NaN,
      scoredInvocations: s.scoredInvocations,
      coldInvocations: s.coldInvocations,
      scoredFunctions: s.scoredFunctions,
      seconds: (opts.clockMs() - t0) / 1000,
    });
  };
  const want = (name: string): boolean => opts.policy === 'all' || opts.policy === name;
  for (const K of FIXED_KEEP_ALIVE_MINUTES) {
    if (!want(`fixed-${K}`) && !(opts.policy === 'fixed')) continue;
    const t0 = opts.clockMs();
    add(`fixed-${K}`, 'fixed', K, scoreReplay(trace, r, fixedKeepAlive(r, K), opts.warmup), t0);
  }
  if (want('hybrid')) {
    const t0 = opts.clockMs();
    add('hybrid', 'hybrid', null, scoreReplay(trace, r, hybridHistogram(r), opts.warmup), t0);
  }
  const variants = [
    { name: 'warmcast', family: 'warmcast' as const, neural: undefined },
    ...(opts.neural ? [{ name: 'warmcast+neural', family: 'warmcast+neural' as const, neural: opts.neural }] : []),
  ];
  for (const v of variants) {
    if (!want('warmcast') && !want(v.name)) continue;
    for (const risk of opts.risks) {
      const t0 = opts.clockMs();
      const run = runModelPolicy(trace, r, {
        risk,
        warmup: opts.warmup,
        ...(opts.combined ? { combined: opts.combined } : {}),
        ...(v.neural ? { neural: v.neural } : {}),
        ...(opts.onProgress ? { onProgress: (t: number, total: number) => opts.onProgress?.(`${v.name} risk=${risk}`, t, total) } : {}),
      });
      add(v.name, v.family, risk, scoreReplay(trace, r, run.w, opts.warmup), t0);
    }
  }
  if (results.length === 0) throw new RangeError(`unknown policy ${opts.policy}: use all, fixed, fixed-K (K in ${FIXED_KEEP_ALIVE_MINUTES.join(',')}), hybrid or warmcast`);
  return {
    trace: { layout: trace.layout, functions: trace.functions.length, minutes: trace.minutes, startMinuteOfDay: trace.startMinuteOfDay, warmup: opts.warmup },
    fixed10: { coldStartPct: ref.coldStartPct, wastedGbMinutes: ref.wastedGbMinutes },
    results,
  };
}

/** Fixed-width text table of a report. */
export function formatReportTable(rep: ReplayReport): string {
  const head = `policy            param   cold%   p50fn%  p75fn%  wastedGBmin  mem/fixed10  seconds`;
  const lines = rep.results.map((x) =>
    [
      x.policy.padEnd(16),
      (x.parameter === null ? '-' : String(x.parameter)).padStart(7),
      x.coldStartPct.toFixed(3).padStart(7),
      x.p50FunctionColdPct.toFixed(1).padStart(8),
      x.p75FunctionColdPct.toFixed(1).padStart(7),
      x.wastedGbMinutes.toFixed(0).padStart(12),
      x.memoryVsFixed10.toFixed(2).padStart(12),
      x.seconds.toFixed(2).padStart(8),
    ].join(' '),
  );
  return [head, ...lines].join('\n');
}
