// Timer detection: a function is periodic when at least 60 % of its last 16 idle times equal the
// same k (and it has >= 3 idle times). Then P(any) follows the recent idle times only (fast to
// adapt when a timer is re-scheduled), and after a missed firing the next expected one is at a
// multiple of k: a 10-minute timer last seen at minute 100 gets P = share at 110, 120, 130, ...
// Non-periodic functions get their base rate, so the model selector drops this model for them.
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

export const PERIODIC_WINDOW = 16;
export const PERIODIC_SHARE = 0.6;
const FLOOR = 0.005;

export class PeriodicModel implements OccurrenceModel {
  readonly name = 'periodic';
  private readonly its = new Int32Array(PERIODIC_WINDOW);
  private n = 0;
  private next = 0;
  private last = -1;
  private period = 0;
  private share = 0;
  private base = 0;
  private readonly baseAlpha = 1 / 60;

  constructor(prior: number) {
    this.base = prior;
  }

  get detectedPeriod(): number {
    return this.period;
  }

  observe(o: MinuteObservation): void {
    const any = o.count > 0 ? 1 : 0;
    this.base += this.baseAlpha * (any - this.base);
    if (!any) return;
    if (this.last >= 0) {
      this.its[this.next] = o.minute - this.last;
      this.next = (this.next + 1) % PERIODIC_WINDOW;
      this.n = Math.min(PERIODIC_WINDOW, this.n + 1);
      this.detect();
    }
    this.last = o.minute;
  }

  private detect(): void {
    const freq = new Map<number, number>();
    let best = 0;
    let bestK = 0;
    for (let i = 0; i < this.n; i++) {
      const k = this.its[i] ?? 0;
      const c = (freq.get(k) ?? 0) + 1;
      freq.set(k, c);
      if (c > best || (c === best && k < bestK)) {
        best = c;
        bestK = k;
      }
    }
    const share = best / this.n;
    this.period = this.n >= 3 && share >= PERIODIC_SHARE ? bestK : 0;
    this.share = share;
  }

  pAny(minute: number): number {
    if (this.period === 0 || this.last < 0) return this.base;
    const g = minute - this.last;
    // empirical hazard over the recent idle times
    let eq = 0;
    let atRisk = 0;
    for (let i = 0; i < this.n; i++) {
      const it = this.its[i] ?? 0;
      if (it === g) eq++;
      if (it >= g) atRisk++;
    }
    if (atRisk > 0) return Math.min(1 - FLOOR, Math.max(FLOOR, eq / (atRisk + 0.5)));
    return g % this.period === 0 ? this.share : FLOOR;
  }
}
