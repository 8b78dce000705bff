// Learned combiner: instead of choosing ONE candidate per function (ModelSelector), one global
// logistic regression (shared by all functions of a trace or a profiler partition) predicts
// "any request in minute t" from what is known before t: every candidate's P(any) as a logit, the
// idle gap, burst state, the function's activity level, the timer phase and the hour of day.
// The per-function objects (CombinedModel) keep the candidates and the feature state and feed
// training rows into the shared GlobalCombiner; the owner of the combiner calls refit() on a
// schedule (the replay: every 60 minutes, on everything seen so far), so a prediction at t only
// uses coefficients fitted on minutes < t.
import type { DemandModel, MinuteObservation, OccurrenceModel, PredictiveDistribution } from '../model.ts';
import type { IdleHazardModel } from './idle-hazard.ts';
import { BoostedTrees } from './boosted-trees.ts';
import { fitLogistic, sigmoid, dot } from './logistic.ts';
import { ModelSelector } from './model-selector.ts';
import type { PeriodicModel } from './periodic.ts';
import type { SizeDistribution } from './size-distribution.ts';
import type { CombinerSamples } from './combiner-samples.ts';
import { CombinerSamples as Samples } from './combiner-samples.ts';

const EPS = 1e-4;
/** gap used before a function's first request: a day, the hazard model's longest bin */
const NO_REQUEST_GAP = 1440;

export const CANDIDATE_NAMES = ['hazard', 'periodic', 'seasonal', 'long-idle', 'minute-of-hour'] as const;
export function featureNames(opts: CombinerOptions = {}): string[] {
  return [
    'intercept', ...CANDIDATE_NAMES.map((n) => `logit ${n}`), 'logit choice', 'log1p gap', 'prev active', 'log1p last count',
    'log req-min/h', 'timer phase', ...((opts.hourOfDay ?? false) ? ['hour sin', 'hour cos'] : []),
  ];
}

export interface CombinerOptions {
  /**
   * include sin/cos of the hour of day (default false: on both traces equal within 2 % at every
   * memory level, and fitted on the warm-up's hours it extrapolates to hours it has never seen)
   */
  readonly hourOfDay?: boolean;
  /** ridge penalty (default 1: negligible against >= 10^4 weighted rows, keeps collinear logits finite) */
  readonly l2?: number;
  /** one regression per activity band (default true) */
  readonly bands?: boolean;
  /** 'logistic' (default) or 'trees' (BoostedTrees, refitted from scratch) */
  readonly learner?: 'logistic' | 'trees';
}

/**
 * Activity bands (request-minutes per hour): < 1, 1-10, >= 10, each with its own regression. One
 * global fit is dominated by the busy functions' rows (most request-minutes), while the decisions
 * that matter for rare functions sit at probabilities of 0.01-0.1; decade bands are round values.
 */
export const BAND_EDGES = [1, 10] as const;
export function activityBand(requestMinutesPerHour: number, bands: boolean): number {
  if (!bands) return 0;
  let b = 0;
  while (b < BAND_EDGES.length && requestMinutesPerHour >= (BAND_EDGES[b] ?? Infinity)) b++;
  return b;
}

export class GlobalCombiner {
  readonly hourOfDay: boolean;
  readonly bands: boolean;
  readonly d: number;
  readonly samples: CombinerSamples[];
  private readonly beta: (Float64Array | null)[];
  private readonly trees: (BoostedTrees | null)[];
  readonly learner: 'logistic' | 'trees';
  private readonly l2: number;

  constructor(opts: CombinerOptions = {}) {
    this.hourOfDay = opts.hourOfDay ?? false;
    this.bands = opts.bands ?? true;
    this.d = featureNames(opts).length;
    const k = this.bands ? BAND_EDGES.length + 1 : 1;
    this.samples = Array.from({ length: k }, () => new Samples(this.d));
    this.beta = Array.from({ length: k }, () => null);
    this.trees = Array.from({ length: k }, () => null);
    this.learner = opts.learner ?? 'logistic';
    this.l2 = opts.l2 ?? 1;
  }

  /** coefficients of each band's last fit (featureNames order), null before it */
  get coefficients(): readonly (Float64Array | null)[] {
    return this.beta;
  }

  /** Fits each band on every row kept so far (warm start from its last fit); a band without rows of both kinds keeps its fit. */
  refit(): void {
    this.samples.forEach((s, b) => {
      if (!s.hasBothClasses()) return;
      if (this.learner === 'trees') {
        this.trees[b] = BoostedTrees.fit(s.rows(), { trees: 20, rate: 0.2 });
        return;
      }
      const prev = this.beta[b];
      this.beta[b] = fitLogistic(s.rows(), { l2: this.l2, ...(prev ? { start: prev } : {}) });
    });
  }

  /** P(any) for a feature row of a function in `band`; null before that band's first fit */
  predict(band: number, x: Float64Array): number | null {
    if (this.learner === 'trees') return this.trees[band]?.predict(x) ?? null;
    const beta = this.beta[band];
    return beta ? sigmoid(dot(beta, x)) : null;
  }
}

function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/**
 * What a CombinedModel needs of its combiner: the GlobalCombiner (trained in place, the replay and
 * the trainer) or a ServedCombiner (fixed published coefficients, the profiler; no samples).
 */
export interface CombinerLike {
  readonly d: number;
  readonly bands: boolean;
  readonly hourOfDay: boolean;
  /** training rows per band; absent when the coefficients are fixed */
  readonly samples?: readonly CombinerSamples[];
  /** P(any) for a feature row of `minute` in `band`; null where no coefficients apply */
  predict(band: number, x: Float64Array, minute: number): number | null;
}

export interface CombinedModelOptions {
  readonly prior: number;
  readonly startMinuteOfDay: number;
  /** a stable small integer per function: decides which idle minutes are kept as training rows */
  readonly id: number;
  readonly combiner: CombinerLike;
  /**
   * true: no own ModelSelector; attach() the selector this model is an extra candidate of, and
   * the features read its statistical candidates (the ones before this model) and its choice
   * among them (pAnyAmong): the same numbers as an own copy fed the same minutes, at half the
   * cost (the profiler). Default false (the replay and the trainer: a standalone model).
   */
  readonly shared?: boolean;
}

export class CombinedModel implements DemandModel {
  readonly name = 'combiner';
  /** the per-function choice by log loss (no threshold: its answer does not depend on the knob) */
  private sel: ModelSelector | undefined;
  /** statistical candidates the features read: the selector's first `base` */
  private base = 0;
  private hazard!: IdleHazardModel;
  private periodic!: PeriodicModel;
  private last = -1;
  private lastActive = -1;
  private lastCount = 0;
  private readonly x: Float64Array;
  private xMinute = -1;

  constructor(private readonly opts: CombinedModelOptions) {
    if (!(opts.shared ?? false)) this.bind(new ModelSelector({ prior: opts.prior, startMinuteOfDay: opts.startMinuteOfDay }), -1);
    this.x = new Float64Array(opts.combiner.d);
  }

  get selector(): ModelSelector {
    if (!this.sel) throw new TypeError('CombinedModel with shared: true used before attach(selector)');
    return this.sel;
  }

  /** shared: true only. pre: this model is one of selector's candidates, after the statistical ones; attached once, before any observe. */
  attach(selector: ModelSelector): void {
    const at = selector.candidates.indexOf(this);
    if (!(this.opts.shared ?? false) || this.sel || at < 2) throw new TypeError('CombinedModel.attach: needs shared: true, once, and this model among the selector\'s candidates after the statistical ones');
    this.bind(selector, at);
  }

  private bind(selector: ModelSelector, base: number): void {
    this.sel = selector;
    this.base = base < 0 ? selector.candidates.length : base;
    this.hazard = selector.candidates[0] as IdleHazardModel;
    this.periodic = selector.candidates[1] as PeriodicModel;
  }

  get sizes(): SizeDistribution {
    return this.selector.sizes;
  }

  /** share of observed minutes with requests (as ModelSelector.activeShare) */
  activeShare(): number {
    return this.selector.activeShare(); // the hazard's base rate; throws before attach (shared)
  }

  private band(): number {
    return activityBand(this.activeShare() * 60, this.opts.combiner.bands);
  }

  /** The feature row for `minute` (pre: minute > last observed); cached until observe(). */
  features(minute: number): Float64Array {
    if (this.xMinute === minute) return this.x;
    const x = this.x;
    x[0] = 1;
    const sel = this.selector;
    const cands = sel.candidates;
    const n = this.base;
    for (let i = 0; i < n; i++) x[1 + i] = logit((cands[i] as OccurrenceModel).pAny(minute));
    let j = 1 + n;
    x[j++] = logit((this.opts.shared ?? false) ? sel.pAnyAmong(n, minute) : sel.pAny(minute));
    const gap = this.lastActive < 0 ? NO_REQUEST_GAP : Math.min(minute - this.lastActive, NO_REQUEST_GAP);
    x[j++] = Math.log1p(gap);
    x[j++] = gap === 1 ? 1 : 0;
    x[j++] = Math.log1p(this.lastCount);
    // request-minutes per hour, floored at 0.05 (one a day) as in the keep-warm rarity factor
    x[j++] = Math.log(Math.max(this.activeShare() * 60, 0.05));
    const k = this.periodic.detectedPeriod;
    x[j++] = k > 0 && this.lastActive >= 0 && gap % k === 0 ? 1 : 0;
    if (this.opts.combiner.hourOfDay) {
      const hour = ((((minute + this.opts.startMinuteOfDay) % 1440) + 1440) % 1440) / 60;
      x[j++] = Math.sin((2 * Math.PI * hour) / 24);
      x[j++] = Math.cos((2 * Math.PI * hour) / 24);
    }
    this.xMinute = minute;
    return x;
  }

  /** The combiner's P(any); before its first fit, the idle-time hazard's. */
  pAny(minute: number): number {
    return this.opts.combiner.predict(this.band(), this.features(minute), minute) ?? this.hazard.pAny(minute);
  }

  observe(o: MinuteObservation): void {
    const samples = this.opts.combiner.samples;
    if (samples) (samples[this.band()] as CombinerSamples).add(this.opts.id, o.minute, this.features(o.minute), o.count > 0);
    if (!(this.opts.shared ?? false)) this.selector.observe(o); // shared: the selector observes its candidates itself
    this.last = o.minute;
    if (o.count > 0) {
      this.lastActive = o.minute;
      this.lastCount = o.count;
    }
    this.xMinute = -1;
  }

  predict(horizons: readonly number[], levels: readonly number[]): PredictiveDistribution {
    return this.sizes.predictive(horizons, levels, horizons.map((h) => this.pAny(this.last + h)));
  }
}
