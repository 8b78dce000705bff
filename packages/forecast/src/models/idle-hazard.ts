// Idle-time hazard histogram: from the gaps between consecutive minutes with requests
// (IT = b - a >= 1), P(request at gap g | no request during gaps 1..g-1) = c[g] / #{IT >= g}.
// Smoothed towards the function's base rate with one pseudo-observation, so that a gap never seen
// gets the base rate: with c = {5: 9, 6: 1} (a 5-minute timer that slipped once) and base 0.2,
// h(5) = (9 + 0.2) / (10 + 1) = 0.84, h(6) = (1 + 0.2) / (1 + 1) = 0.6, h(3) = (0 + 0.2) / (10 + 1) = 0.018.
import type { MinuteObservation, OccurrenceModel } from '../model.ts';

/** gaps longer than a day share the last bin */
export const MAX_IDLE_MINUTES = 1440;
const PRIOR_WEIGHT = 1;

export class IdleHazardModel implements OccurrenceModel {
  readonly name = 'hazard';
  private readonly c = new Float64Array(MAX_IDLE_MINUTES + 1);
  private total = 0;
  private last = -1;
  private first = -1;
  private lastSeen = -1;
  private activeMinutes = 0;
  // running sum of c[1..cumG-1], valid for the current `last`
  private cumG = 1;
  private cum = 0;

  /** prior: P(any) assumed for a minute before the function has history (e.g. the complexity regression) */
  constructor(private readonly prior: number) {}

  observe(o: MinuteObservation): void {
    if (this.first < 0) this.first = o.minute;
    this.lastSeen = o.minute;
    if (o.count <= 0) return;
    this.activeMinutes++;
    if (this.last >= 0) {
      const it = Math.min(o.minute - this.last, MAX_IDLE_MINUTES);
      this.c[it] = (this.c[it] ?? 0) + 1;
      this.total++;
    }
    this.last = o.minute;
    this.cumG = 1;
    this.cum = 0;
  }

  /** share of observed minutes with requests, shrunk to the prior by 2 pseudo-minutes */
  baseRate(): number {
    const observed = this.first < 0 ? 0 : this.lastSeen - this.first + 1;
    return (this.activeMinutes + 2 * this.prior) / (observed + 2);
  }

  pAny(minute: number): number {
    const base = this.baseRate();
    if (this.last < 0) return base;
    const g = Math.min(minute - this.last, MAX_IDLE_MINUTES);
    if (g < this.cumG) {
      this.cumG = 1;
      this.cum = 0;
    }
    while (this.cumG < g) this.cum += this.c[this.cumG++] ?? 0;
    const atRisk = this.total - this.cum;
    return ((this.c[g] ?? 0) + PRIOR_WEIGHT * base) / (atRisk + PRIOR_WEIGHT);
  }
}
