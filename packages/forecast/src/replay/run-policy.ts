// Online replay of the model-driven keep-warm policy: for each minute t (all functions together,
// so a batched model can answer them in one call), decide w[., t] from minutes < t, then show
// the models minute t. Time is the slot index; nothing here reads a clock.
import { ComplexityRegression } from '../models/complexity-prior.ts';
import { ModelSelector } from '../models/model-selector.ts';
import { CombinedOccurrence } from '../models/combined-occurrence.ts';
import { NeuralOccurrence } from '../models/neural-occurrence.ts';
import { instancesToWarm, warmThreshold } from '../policy/keep-warm.ts';
import type { Trace } from './trace.ts';

export interface PolicyRunOptions {
  readonly risk: number;
  /** minutes used to fit the complexity prior (the warm-up) */
  readonly warmup: number;
  /** called every 60 minutes with (t, T) */
  readonly onProgress?: (t: number, total: number) => void;
  /** the global neural model's forecasts (replay/neural-forecasts.ts), added as a candidate model */
  readonly neural?: { readonly pAny: readonly ArrayLike<number>[]; readonly from: number };
  /** the global combiner's forecasts (replay/combined-forecasts.ts), added as a candidate model */
  readonly combined?: readonly ArrayLike<number>[];
}

export interface PolicyRun {
  readonly w: Int32Array[];
  /** per function, the model chosen at the end */
  readonly chosen: string[];
  readonly periodicFunctions: number;
}

/** The complexity prior: fitted on the warm-up minutes of every function (memory, duration only). */
export function fitPrior(trace: Trace, warmup: number): ComplexityRegression {
  const samples = trace.functions.map((fn, f) => {
    const c = trace.counts[f] ?? new Int32Array(0);
    let active = 0;
    for (let t = 0; t < warmup; t++) if ((c[t] ?? 0) > 0) active++;
    return { features: { memoryMb: fn.memoryMb, durationSec: fn.durationSec }, pAny: (active + 0.5) / (warmup + 1) };
  });
  return ComplexityRegression.fit(samples);
}

export function runModelPolicy(trace: Trace, r: readonly Int32Array[], opts: PolicyRunOptions): PolicyRun {
  const prior = fitPrior(trace, opts.warmup);
  const F = trace.functions.length;
  const models = trace.functions.map((fn, f) => {
    const p0 = prior.predictPAny({ memoryMb: fn.memoryMb, durationSec: fn.durationSec });
    const row = opts.neural?.pAny[f];
    const combined = opts.combined?.[f];
    const extra = [
      ...(combined ? [new CombinedOccurrence(combined)] : []),
      ...(opts.neural && row ? [new NeuralOccurrence(row, opts.neural.from, p0)] : []),
    ];
    return new ModelSelector({ prior: p0, startMinuteOfDay: trace.startMinuteOfDay, extra });
  });
  const theta = trace.functions.map((fn) => warmThreshold(opts.risk, fn.memoryMb));
  const w = Array.from({ length: F }, () => new Int32Array(trace.minutes));
  for (let t = 0; t < trace.minutes; t++) {
    for (let f = 0; f < F; f++) {
      const m = models[f] as ModelSelector;
      // the rarity factor follows the base rate, refreshed every 30 minutes (it moves slowly)
      const th = t % 30 === 0 || t < 2 ? (theta[f] = warmThreshold(opts.risk, trace.functions[f]?.memoryMb ?? 150, m.activeShare())) : (theta[f] ?? 1);
      m.setDecisionThreshold(th);
      (w[f] as Int32Array)[t] = instancesToWarm(m.pAny(t), m.sizes, th);
    }
    for (let f = 0; f < F; f++) {
      (models[f] as ModelSelector).observe({ minute: t, count: trace.counts[f]?.[t] ?? 0, instances: r[f]?.[t] ?? 0 });
    }
    if (opts.onProgress && t % 60 === 59) opts.onProgress(t + 1, trace.minutes);
  }
  return {
    w,
    chosen: models.map((m) => m.chosen.name),
    periodicFunctions: models.filter((m) => m.candidates.some((c) => c.name === 'periodic' && (c as unknown as { detectedPeriod: number }).detectedPeriod > 0)).length,
  };
}
