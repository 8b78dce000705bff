// Adapter that lets the global combiner's forecasts, computed for a whole trace in one pass
// beforehand (replay/combined-forecasts.ts: at minute t from minutes < t, with coefficients
// fitted on minutes < t), compete in the per-function model choice like any other candidate.
// The knob does not change them, so one pass serves the whole risk sweep. (The profiler would
// use a CombinedModel itself as the extra candidate; it has the same interface.)
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

export class CombinedOccurrence implements OccurrenceModel {
  readonly name = 'combiner';

  /** pAnyByMinute[t] = the combiner's P(any at t) given minutes < t, for every minute of the trace */
  constructor(private readonly pAnyByMinute: ArrayLike<number>) {}

  observe(_o: MinuteObservation): void {
    // precomputed: nothing to learn here
  }

  pAny(minute: number): number {
    return this.pAnyByMinute[minute] ?? 0;
  }
}
