// A published version of the learned combiner (combiner.ts): the coefficients one trainer run
// fitted across many users, plain data so it can travel through a topic and be checked before
// use. A profiler applies it from an event-time minute on (served-combiner.ts); the trainer
// (combiner-trainer.ts) makes it with the same GlobalCombiner / CombinedModel code as the replay.
import { BAND_EDGES, featureNames } from '../models/combiner.ts';

export interface CombinerVersion {
  /** increasing per kind; by default the trainedThroughMinute */
  readonly version: number;
  /** last event-time minute (epoch minutes) of the training data */
  readonly trainedThroughMinute: number;
  /** first minute whose forecasts use it (default trainedThroughMinute + 1) */
  readonly effectiveFromMinute: number;
  /** featureNames(options): the order of every coefficient row */
  readonly featureNames: readonly string[];
  /** per activity band, the fitted coefficients; [] = not fitted (the hazard answers there) */
  readonly coefficientsByBand: readonly (readonly number[])[];
  readonly rowsByBand: readonly number[];
  readonly hourOfDay: boolean;
  readonly bands: boolean;
  readonly l2: number;
  /** P(any) before any history that the candidates were trained with */
  readonly prior: number;
  readonly users: number;
}

/** What is wrong with `v` (field, value, what is allowed), or undefined when it can be served. */
export function combinerVersionProblem(v: CombinerVersion): string | undefined {
  for (const k of ['version', 'trainedThroughMinute', 'effectiveFromMinute'] as const) {
    if (!Number.isSafeInteger(v[k]) || v[k] < 0) return `${k}=${String(v[k])} must be an integer >= 0`;
  }
  const want = featureNames({ hourOfDay: v.hourOfDay });
  if (v.featureNames.length !== want.length || v.featureNames.some((n, i) => n !== want[i])) {
    return `featureNames=${JSON.stringify(v.featureNames)} must be ${JSON.stringify(want)} (hourOfDay=${String(v.hourOfDay)}): a model trained with other features cannot be served by this code`;
  }
  const bands = v.bands ? BAND_EDGES.length + 1 : 1;
  if (v.coefficientsByBand.length !== bands) return `coefficientsByBand has ${v.coefficientsByBand.length} rows, must have ${bands} (bands=${String(v.bands)})`;
  for (const [b, row] of v.coefficientsByBand.entries()) {
    if (row.length !== 0 && row.length !== want.length) return `coefficientsByBand[${b}] has ${row.length} values, must have 0 (not fitted) or ${want.length}`;
    if (row.some((c) => !Number.isFinite(c))) return `coefficientsByBand[${b}] must be finite numbers`;
  }
  if (!(v.prior > 0 && v.prior < 1)) return `prior=${v.prior} must be in (0, 1)`;
  return undefined;
}
