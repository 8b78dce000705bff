// The learned combiner served with FIXED published coefficients (no refit, no training rows):
// the combiner a CombinedModel uses inside the profiler. Versions apply from a minute on; which
// one answers is a pure function of (applied versions, minute), so a model rebuilt from history
// after a restore gives the same answers as the live one.
//
// Origin: a forecast made at tick minute M predicts minutes M..M+H-1 with the version effective
// at M (setOrigin(M)), not with versions that start inside the window. Otherwise a forecast at M
// would depend on whether a version effective at M + 5 had already arrived at M (it may come
// minutes later, or, after a restart, before), and the output would stop being a function of
// (input events, published models). Minutes before the origin (history fed to the model for
// scoring the candidates) use the version effective at each minute.
import { dot, sigmoid } from '../models/logistic.ts';
import type { CombinerLike } from '../models/combiner.ts';
import type { CombinerVersion } from './combiner-version.ts';

export interface AppliedVersion {
  readonly model: CombinerVersion;
  /** the first minute it answers for: effectiveFromMinute, or later when it arrived late */
  readonly fromMinute: number;
}

/**
 * From which minute a version that arrives now applies: its effectiveFromMinute, unless ticks at
 * or after that minute were already forecast without it (nextTickMinute > effectiveFromMinute):
 * then from the next tick, and it is late. nextTickMinute undefined = nothing forecast yet.
 * Example: effective 100, next tick 103 -> from 103, late; next tick 95 -> from 100.
 */
export function appliedFrom(v: Pick<CombinerVersion, 'effectiveFromMinute'>, nextTickMinute: number | undefined): { fromMinute: number; late: boolean } {
  const next = nextTickMinute ?? v.effectiveFromMinute;
  return next > v.effectiveFromMinute ? { fromMinute: next, late: true } : { fromMinute: v.effectiveFromMinute, late: false };
}

/** The version answering for `minute`: the latest fromMinute <= minute (a tie: the higher version); undefined before all. */
export function versionAt<T extends AppliedVersion>(applied: readonly T[], minute: number): T | undefined {
  let best: T | undefined;
  for (const a of applied) {
    if (a.fromMinute > minute) continue;
    if (!best || a.fromMinute > best.fromMinute || (a.fromMinute === best.fromMinute && a.model.version > best.model.version)) best = a;
  }
  return best;
}

interface Compiled extends AppliedVersion {
  readonly rows: (Float64Array | null)[];
}

export class ServedCombiner implements CombinerLike {
  readonly d: number;
  readonly bands: boolean;
  readonly hourOfDay: boolean;
  private readonly applied: Compiled[];
  private origin = Infinity;

  /** pre: applied is non-empty and every version passed combinerVersionProblem with the same featureNames and bands (else RangeError). */
  constructor(applied: readonly AppliedVersion[]) {
    const first = applied[0]?.model;
    if (!first) throw new RangeError('ServedCombiner needs at least one applied version');
    for (const a of applied) {
      if (a.model.featureNames.join('|') !== first.featureNames.join('|') || a.model.bands !== first.bands) {
        throw new RangeError(`combiner version ${a.model.version}: features/bands differ from version ${first.version}; one ServedCombiner serves one feature layout`);
      }
    }
    this.d = first.featureNames.length;
    this.bands = first.bands;
    this.hourOfDay = first.hourOfDay;
    this.applied = applied.map((a) => ({ ...a, rows: a.model.coefficientsByBand.map((r) => (r.length === 0 ? null : Float64Array.from(r))) }));
  }

  get versions(): readonly AppliedVersion[] {
    return this.applied;
  }

  /** Forecasts from now on are made at tick minute M (see the header). */
  setOrigin(minute: number): void {
    this.origin = minute;
  }

  predict(band: number, x: Float64Array, minute: number): number | null {
    const row = versionAt(this.applied, Math.min(minute, this.origin))?.rows[band];
    return row ? sigmoid(dot(row, x)) : null;
  }
}
