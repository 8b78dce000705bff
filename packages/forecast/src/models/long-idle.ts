// Long idle times (> 4 h): the next idle time is forecast from the previous ones
// (forecastNextIdle: ARIMA once 10 are known, their mean before) and the request is expected
// within +-15 % of it, spread evenly: a forecast of 400 minutes gives P = 0.9 / 121 per minute in
// 340..460 and the base rate elsewhere. Short-idle functions get their base rate.
import type { MinuteObservation, OccurrenceModel } from '../model.ts';
import { forecastNextIdle } from './idle-forecast.ts';

const LONG_IDLE = 240;

export class LongIdleModel implements OccurrenceModel {
  readonly name = 'long-idle';
  private readonly idle: number[] = [];
  private last = -1;
  private lo = 0;
  private hi = -1;
  private base: number;

  constructor(prior: number) {
    this.base = prior;
  }

  observe(o: MinuteObservation): void {
    this.base += (1 / 240) * ((o.count > 0 ? 1 : 0) - this.base);
    if (o.count <= 0) return;
    if (this.last >= 0) {
      this.idle.push(o.minute - this.last);
      if (this.idle.length > 32) this.idle.shift();
      const recent = this.idle.slice(-8);
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      if (mean > LONG_IDLE) {
        const pred = forecastNextIdle(this.idle);
        this.lo = Math.floor(0.85 * pred);
        this.hi = Math.ceil(1.15 * pred);
      } else {
        this.hi = -1;
      }
    }
    this.last = o.minute;
  }

  pAny(minute: number): number {
    if (this.hi < 0 || this.last < 0) return this.base;
    const g = minute - this.last;
    if (g >= this.lo && g <= this.hi) return Math.max(this.base, 0.9 / (this.hi - this.lo + 1));
    return this.base;
  }
}
