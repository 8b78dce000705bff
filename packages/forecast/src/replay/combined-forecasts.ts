// The global combiner over a whole trace, computed once before the risk sweep (its P(any) does
// not depend on the knob): for each minute t, every function's P(any at t) from minutes < t, then
// minute t is shown to the models. The combiner is refitted every REFIT_MINUTES on all rows kept
// so far, i.e. first at minute 60 and, for the scored part, at the end of the warm-up and hourly
// after it; before its first fit the idle-time hazard answers (warm-up only).
import { CombinedModel, GlobalCombiner } from '../models/combiner.ts';
import type { CombinerOptions } from '../models/combiner.ts';
import { fitPrior } from './run-policy.ts';
import type { Trace } from './trace.ts';

export const REFIT_MINUTES = 60;

export interface CombinedForecasts {
  /** pAny[f][t] for every minute */
  readonly pAny: Float32Array[];
  /** coefficients of each band's last fit (featureNames order) */
  readonly coefficients: number[][];
  readonly fits: number;
}

export function combinedForecasts(trace: Trace, r: readonly Int32Array[], warmup: number, opts: CombinerOptions = {}): CombinedForecasts {
  const prior = fitPrior(trace, warmup);
  const combiner = new GlobalCombiner(opts);
  const models = trace.functions.map((fn, f) => new CombinedModel({
    prior: prior.predictPAny({ memoryMb: fn.memoryMb, durationSec: fn.durationSec }),
    startMinuteOfDay: trace.startMinuteOfDay,
    id: f,
    combiner,
  }));
  const pAny = trace.functions.map(() => new Float32Array(trace.minutes));
  let fits = 0;
  for (let t = 0; t < trace.minutes; t++) {
    if (t > 0 && t % REFIT_MINUTES === 0) {
      combiner.refit();
      fits++;
    }
    models.forEach((m, f) => {
      (pAny[f] as Float32Array)[t] = m.pAny(t);
    });
    models.forEach((m, f) => m.observe({ minute: t, count: trace.counts[f]?.[t] ?? 0, instances: r[f]?.[t] ?? 0 }));
  }
  return { pAny, coefficients: combiner.coefficients.map((b) => Array.from(b ?? [])), fits };
}
