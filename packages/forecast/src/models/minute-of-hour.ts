// Minute-of-hour rate: P(any) at minute t = the share of past minutes with the same minute of the
// clock hour that had requests, shrunk to the function's overall rate with 4 pseudo-hours. Cron
// schedules are aligned to the clock hour, and a timer that also gets ad-hoc requests (or several
// schedules, e.g. :05 and :35) has irregular idle times that hide it from the idle-time models;
// its phase in the hour does not move. Example: a function seen at :05 in 9 of 10 past hours,
// overall rate 0.02: P(:05) = (9 + 4 x 0.02) / (10 + 4) = 0.65, P(:06) = 0.08 / 14 = 0.006.
// Why 4 pseudo-hours: a single hit at a minute of the hour is weak evidence of a schedule, and with
// weight 1 it lifts that minute to ~1/13 every hour, which at low thresholds (high memory) wins the
// model choice by luck over the hazard model's recency. On the day trace 1, 2, 4 and 8 were tried:
// 1-2 are best at <= 1x fixed-10 memory but worse than without this model above 2x, 8 gives back
// most of the gain, 4 is below or within 1 % of the previous frontier everywhere (both traces).
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

const HOUR = 60;
const PRIOR_WEIGHT = 4;

export class MinuteOfHourModel implements OccurrenceModel {
  readonly name = 'minute-of-hour';
  private readonly seen = new Int32Array(HOUR);
  private readonly active = new Int32Array(HOUR);
  private total = 0;
  private totalActive = 0;

  /** startMinuteOfDay: minute of day of absolute minute 0 (so that phases follow the clock) */
  constructor(private readonly prior: number, private readonly startMinuteOfDay: number) {}

  private phase(minute: number): number {
    return (((minute + this.startMinuteOfDay) % HOUR) + HOUR) % HOUR;
  }

  observe(o: MinuteObservation): void {
    const ph = this.phase(o.minute);
    const any = o.count > 0 ? 1 : 0;
    this.seen[ph] = (this.seen[ph] ?? 0) + 1;
    this.active[ph] = (this.active[ph] ?? 0) + any;
    this.total++;
    this.totalActive += any;
  }

  /** overall share of minutes with requests, shrunk to the prior by 2 pseudo-minutes */
  private baseRate(): number {
    return (this.totalActive + 2 * this.prior) / (this.total + 2);
  }

  pAny(minute: number): number {
    const ph = this.phase(minute);
    const p = ((this.active[ph] ?? 0) + PRIOR_WEIGHT * this.baseRate()) / ((this.seen[ph] ?? 0) + PRIOR_WEIGHT);
    return Math.min(0.999, Math.max(0.0005, p));
  }
}
