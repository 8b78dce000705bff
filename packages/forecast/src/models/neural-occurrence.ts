// Adapter that lets the global neural model compete in the per-function model choice like any
// statistical model. The neural forecasts for a whole trace are computed in batches beforehand
// (replay/neural-forecasts.ts: at minute t from minutes < t only), so this adapter only looks them
// up; before `from` (while the network is being trained) it answers with a smoothed rate
// (half-life 30 minutes), the same as SeasonalRateModel without seasonality.
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

const ALPHA = 1 - 2 ** (-1 / 30);

export class NeuralOccurrence implements OccurrenceModel {
  readonly name = 'neural';
  private rate: number;

  /** pAnyByMinute[t] = the network's P(any at t) given minutes < t; valid for t >= from */
  constructor(private readonly pAnyByMinute: ArrayLike<number>, private readonly from: number, prior: number) {
    this.rate = prior;
  }

  observe(o: MinuteObservation): void {
    this.rate += ALPHA * ((o.count > 0 ? 1 : 0) - this.rate);
  }

  pAny(minute: number): number {
    if (minute >= this.from && minute < this.pAnyByMinute.length) return this.pAnyByMinute[minute] ?? this.rate;
    return this.rate;
  }
}
