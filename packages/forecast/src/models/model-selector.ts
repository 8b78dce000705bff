// Automatic per-function model choice by rolling back-test loss. Before each minute is
// observed, every candidate's P(any) for that minute is scored, kept as an exponentially
// weighted mean (half-life 120 minutes: alpha = 1 - 2^(-1/120) = 0.0058); the candidate with the
// lowest loss answers. The loss is the log loss, unless the caller (the keep-warm policy) sets
// the decision threshold theta it acts on: then it is the back-tested cost of the decision the
// candidate would have made (decisionLoss), with the log loss x 0.001 as a tie-breaker. On the
// day trace that choice gave 5-8 % fewer cold starts at equal memory than log-loss choice
// (log loss rewards calibration everywhere, the policy only needs the right side of theta). Sizes (request and instance counts) come from one
// shared empirical SizeDistribution (a hurdle model: P(any) x size | any).
import type { DemandModel, MinuteObservation, OccurrenceModel, PredictiveDistribution } from '../model.ts';
import { IdleHazardModel } from './idle-hazard.ts';
import { LongIdleModel } from './long-idle.ts';
import { MinuteOfHourModel } from './minute-of-hour.ts';
import { PeriodicModel } from './periodic.ts';
import { SeasonalRateModel } from './seasonal-rate.ts';
import { SizeDistribution } from './size-distribution.ts';

const LOSS_ALPHA = 1 - 2 ** (-1 / 120);
const EPS = 1e-4;
const TIE_BREAK = 0.001;
/**
 * Minutes after a request in which the hazard is a floor (see pAny): 10, the keep-alive of the
 * fixed-10 reference. Tried on the day trace: 1, 2, 5, 10 (5 and 10 alike, ~3 % fewer cold starts
 * at 1.0x memory than 1); the 8-hour sample equal or slightly better.
 */
export const BURST_FLOOR_MINUTES = 10;

/**
 * Cost of acting on p with threshold theta (warm iff p >= theta) when the minute had a request
 * (y) or not: a miss costs 1 - theta, an idle warm minute costs theta (theta = m / (m + lambda),
 * so the two are the memory and cold-start prices normalised to sum to 1).
 * Example: theta 0.2, p 0.1, request -> 0.8; p 0.3, no request -> 0.2; right calls -> 0.
 */
export function decisionLoss(p: number, y: boolean, theta: number): number {
  if (y) return p < theta ? 1 - theta : 0;
  return p >= theta ? theta : 0;
}

export interface SelectorOptions {
  /** P(any) before any history (ComplexityRegression.predictPAny for a new user) */
  readonly prior: number;
  /** minute of day of absolute minute 0 */
  readonly startMinuteOfDay: number;
  /** extra candidates (e.g. the neural model's adapter) */
  readonly extra?: readonly OccurrenceModel[];
}

export class ModelSelector implements DemandModel {
  readonly name = 'auto';
  readonly candidates: readonly OccurrenceModel[];
  private readonly loss: Float64Array;
  private readonly scratch: Float64Array;
  private best = 0;
  private last = -1;
  private lastActive = -1;
  private threshold = -1;
  readonly sizes = new SizeDistribution();

  constructor(opts: SelectorOptions) {
    this.candidates = [
      new IdleHazardModel(opts.prior),
      new PeriodicModel(opts.prior),
      new SeasonalRateModel(opts.prior, opts.startMinuteOfDay),
      new LongIdleModel(opts.prior),
      new MinuteOfHourModel(opts.prior, opts.startMinuteOfDay),
      ...(opts.extra ?? []),
    ];
    this.loss = new Float64Array(this.candidates.length);
    this.scratch = new Float64Array(this.candidates.length);
  }

  /** The threshold the caller acts on; from now on candidates are compared by decision cost. pre: 0 < theta < 1. */
  setDecisionThreshold(theta: number): void {
    this.threshold = theta;
  }

  get chosen(): OccurrenceModel {
    return this.candidates[this.best] as OccurrenceModel;
  }

  observe(o: MinuteObservation): void {
    const y = o.count > 0;
    // every candidate answers before any loss moves: a CombinedModel sharing this selector reads
    // the choice (pAnyAmong, from the losses) in its answer, which must be the pre-minute choice
    const ps = this.scratch;
    for (let i = 0; i < this.candidates.length; i++) ps[i] = (this.candidates[i] as OccurrenceModel).pAny(o.minute);
    let best = 0;
    for (let i = 0; i < this.candidates.length; i++) {
      const p = Math.min(1 - EPS, Math.max(EPS, ps[i] ?? 0));
      const logLoss = -Math.log(y ? p : 1 - p);
      const l = this.threshold > 0 ? decisionLoss(p, y, this.threshold) + TIE_BREAK * logLoss : logLoss;
      const v = (this.loss[i] ?? 0) + LOSS_ALPHA * (l - (this.loss[i] ?? 0));
      this.loss[i] = v;
      if (v < (this.loss[best] ?? 0)) best = i;
    }
    this.best = best;
    for (const m of this.candidates) m.observe(o);
    this.sizes.add(o.count, o.instances);
    this.last = o.minute;
    if (o.count > 0) this.lastActive = o.minute;
  }

  /** share of observed minutes with requests (the hazard model's shrunk base rate) */
  activeShare(): number {
    return (this.candidates[0] as IdleHazardModel).baseRate();
  }

  /**
   * The chosen candidate's P(any), except within BURST_FLOOR_MINUTES after a request: there at
   * least the idle-time hazard at that gap (how often a request was followed by the next one after
   * exactly that many minutes). The choice scores every minute alike, so a model chosen for being
   * right over long idle stretches (the smoothed or minute-of-hour rate) can miss the continuation
   * of a burst. On the day trace this gave 6-11 % fewer cold starts at equal memory (0.75x-1.75x
   * fixed 10), the 8-hour sample equal or slightly better.
   */
  pAny(minute: number): number {
    const p = this.chosen.pAny(minute);
    if (this.lastActive < 0 || minute - this.lastActive > BURST_FLOOR_MINUTES || this.best === 0) return p;
    return Math.max(p, (this.candidates[0] as IdleHazardModel).pAny(minute));
  }

  /**
   * What a selector of only the first n candidates would answer (pAny above, choice among them):
   * each candidate's loss is its own, so the argmin over the first n losses (ties: the lower
   * index, as in observe) is that selector's choice. Lets a CombinedModel share this selector's
   * candidates instead of keeping a second copy (combiner.ts, attach).
   */
  pAnyAmong(n: number, minute: number): number {
    let best = 0;
    for (let i = 1; i < n; i++) if ((this.loss[i] ?? 0) < (this.loss[best] ?? 0)) best = i;
    const p = (this.candidates[best] as OccurrenceModel).pAny(minute);
    if (this.lastActive < 0 || minute - this.lastActive > BURST_FLOOR_MINUTES || best === 0) return p;
    return Math.max(p, (this.candidates[0] as IdleHazardModel).pAny(minute));
  }

  predict(horizons: readonly number[], levels: readonly number[]): PredictiveDistribution {
    return this.sizes.predictive(horizons, levels, horizons.map((h) => this.pAny(this.last + h)));
  }
}
