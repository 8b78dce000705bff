// The trainer's pure core: per-user per-minute request counts (and instances) -> a published
// combiner version. The same code as the replay's combiner pass (replay/combined-forecasts.ts):
// one GlobalCombiner, one CombinedModel per user fed its minutes in order, refitted every
// REFIT_MINUTES (warm start, as the replay does) and once more at the end, whose coefficients are
// the version. Only the feeding differs: minutes are epoch minutes (startMinuteOfDay 0, as in the
// profiler) and a user's model starts at its first minute with a request in the window (as the
// profiler's does at its first event), not at the window start.
import { CombinedModel, GlobalCombiner, featureNames } from '../models/combiner.ts';
import { ComplexityRegression } from '../models/complexity-prior.ts';
import { REFIT_MINUTES } from '../replay/combined-forecasts.ts';
import type { CombinerVersion } from './combiner-version.ts';

/** One user's minutes with requests, ascending; the minutes in between had none. */
export interface UserMinuteSeries {
  readonly minutes: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  /** concurrent instances r = max(1, ceil(n d / 60)); they only feed the size model, not the combiner's features */
  readonly instances: ArrayLike<number>;
}

export interface TrainCombinerInput {
  readonly series: readonly UserMinuteSeries[];
  /** first and last epoch minute of the window, inclusive */
  readonly fromMinute: number;
  readonly throughMinute: number;
  /** default throughMinute */
  readonly version?: number;
  /** default throughMinute + 1 */
  readonly effectiveFromMinute?: number;
  readonly hourOfDay?: boolean;
  readonly bands?: boolean;
  readonly l2?: number;
  /** P(any) before any history; default the profiler's (ComplexityRegression.fallback(), 1 in 100) */
  readonly prior?: number;
}

export interface TrainedCombiner {
  readonly model: CombinerVersion;
  /** refits run (hourly + the final one) */
  readonly fits: number;
  /** user-minutes fed */
  readonly observations: number;
}

/** The profiler's prior: the complexity regression's fallback, the same expression as its user-model.ts. */
export const SERVING_PRIOR = ComplexityRegression.fallback().predictPAny({});

export function trainCombiner(input: TrainCombinerInput): TrainedCombiner {
  const { fromMinute: from, throughMinute: through } = input;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(through) || through < from) {
    throw new RangeError(`training window ${from}..${through} must be integer minutes with fromMinute <= throughMinute`);
  }
  const opts = { hourOfDay: input.hourOfDay ?? false, bands: input.bands ?? true, l2: input.l2 ?? 1 };
  const prior = input.prior ?? SERVING_PRIOR;
  const combiner = new GlobalCombiner(opts);
  const users = input.series.map((s, id) => {
    let i = 0;
    while (i < s.minutes.length && (s.minutes[i] ?? 0) < from) i++;
    const start = s.minutes[i];
    return { s, i, start: start === undefined || start > through ? Infinity : start, model: new CombinedModel({ prior, startMinuteOfDay: 0, id, combiner }) };
  });
  let fits = 0;
  let observations = 0;
  for (let t = from; t <= through; t++) {
    if (t > from && t % REFIT_MINUTES === 0) {
      combiner.refit();
      fits++;
    }
    for (const u of users) {
      if (t < u.start) continue;
      const busy = u.s.minutes[u.i] === t;
      u.model.observe({ minute: t, count: busy ? (u.s.counts[u.i] ?? 0) : 0, instances: busy ? (u.s.instances[u.i] ?? 0) : 0 });
      if (busy) u.i++;
      observations++;
    }
  }
  combiner.refit();
  fits++;
  const model: CombinerVersion = {
    version: input.version ?? through,
    trainedThroughMinute: through,
    effectiveFromMinute: input.effectiveFromMinute ?? through + 1,
    featureNames: featureNames(opts),
    coefficientsByBand: combiner.coefficients.map((b) => Array.from(b ?? [])),
    rowsByBand: combiner.samples.map((s) => s.size),
    ...opts,
    prior,
    users: users.filter((u) => u.start !== Infinity).length,
  };
  return { model, fits, observations };
}
