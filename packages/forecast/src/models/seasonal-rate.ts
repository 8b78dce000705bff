// Seasonal smoothing of the occurrence rate: an exponentially weighted level of "any request"
// (half-life 30 minutes: alpha = 1 - 2^(-1/30) = 0.0228) times nothing else until a full day is
// seen; from then on the same minute-of-day hour of previous days (hourly bins, EWMA over days
// with weight 0.5) is blended in half and half. On a trace shorter than 1 day plus the warm-up
// the seasonal part never activates; the model is then a smoothed rate.
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

const ALPHA = 1 - 2 ** (-1 / 30);
const DAY = 1440;

export class SeasonalRateModel implements OccurrenceModel {
  readonly name = 'seasonal';
  private level: number;
  private readonly hourly = new Float64Array(24);
  private readonly hourlySeen = new Int32Array(24);
  private readonly hourSum = new Float64Array(24);
  private readonly hourMinutes = new Int32Array(24);
  private first = -1;

  /** startMinuteOfDay: minute of day of absolute minute 0 */
  constructor(prior: number, private readonly startMinuteOfDay: number) {
    this.level = prior;
  }

  private hourOf(minute: number): number {
    return Math.floor((((minute + this.startMinuteOfDay) % DAY) + DAY) % DAY / 60);
  }

  observe(o: MinuteObservation): void {
    if (this.first < 0) this.first = o.minute;
    const any = o.count > 0 ? 1 : 0;
    this.level += ALPHA * (any - this.level);
    const h = this.hourOf(o.minute);
    this.hourSum[h] = (this.hourSum[h] ?? 0) + any;
    this.hourMinutes[h] = (this.hourMinutes[h] ?? 0) + 1;
    if (this.hourMinutes[h] === 60) {
      // an hour bin closed: fold it into the day-over-day profile
      const v = (this.hourSum[h] ?? 0) / 60;
      this.hourly[h] = (this.hourlySeen[h] ?? 0) === 0 ? v : 0.5 * (this.hourly[h] ?? 0) + 0.5 * v;
      this.hourlySeen[h] = (this.hourlySeen[h] ?? 0) + 1;
      this.hourSum[h] = 0;
      this.hourMinutes[h] = 0;
    }
  }

  pAny(minute: number): number {
    const h = this.hourOf(minute);
    const seasonalReady = this.first >= 0 && minute - this.first >= DAY && (this.hourlySeen[h] ?? 0) > 0;
    const p = seasonalReady ? 0.5 * this.level + 0.5 * (this.hourly[h] ?? 0) : this.level;
    return Math.min(0.999, Math.max(0.0005, p));
  }
}
