// The user's demand model, @warmcast/forecast's ModelSelector (the same candidates as the replay:
// hazard, periodic, seasonal smoothing, long-idle, minute-of-hour; chosen by rolling back-test
// loss). ModelSelector has no serialization, so the model is a pure function of the stored
// history: for "observed through minute M-1" with generation start g = floor((M-1) / G) x G it
// is a fresh selector fed minutes max(firstMinute, g - G) .. M-1 (zero minutes included). Live,
// the cached selector is advanced minute by minute and rebuilt when a new generation starts; a
// restored profiler rebuilds the same selector from the same minutes. Cost: at most 2 G
// observations per user per generation (2 x 1440 = 2880 per day by default).
//
// Served models: with published combiner versions (served-models.ts) the selector gets one more
// candidate, a CombinedModel on the partition's ServedCombiner (fixed coefficients, the version
// effective at each minute), as the replay adds CombinedOccurrence. Its answers are a function of
// (history, applied versions), so the rebuild rule above still holds; the caller drops the cached
// models when the applied versions change. Without any version the selector is exactly the one
// above (no extra candidate).
import { CombinedModel, ComplexityRegression, ModelSelector } from '@warmcast/forecast';
import type { ServedCombiner } from '@warmcast/forecast';
import type { UserState } from './user-state.ts';

export interface CachedModel {
  readonly selector: ModelSelector;
  readonly gen: number;
  /** first minute not yet observed */
  next: number;
  /**
   * The selector's empirical sizes (request counts, instance counts), sorted; undefined once a
   * minute with requests was observed since they were read. Reading them back costs n sorts of
   * n = 32 through SizeDistribution.quantile, and they only change when a busy minute is fed.
   */
  sizes: { readonly counts: number[]; readonly instances: number[] } | undefined;
}

/**
 * Prior P(any) of a minute before any history: the complexity regression's fallback (1 in 100).
 * A partition-level fit of P(any) on code features would change this per generation; not done
 * yet (a constant keeps the rebuild trivially deterministic).
 */
export const MODEL_PRIOR = ComplexityRegression.fallback().predictPAny({});

/** Feeds minutes [from, to) of the user's history (missing minutes are 0); returns how many had requests. */
function feed(sel: ModelSelector, s: UserState, from: number, to: number): number {
  let busy = 0;
  const h = s.history;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((h[mid]?.[0] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  for (let m = from; m < to; m++) {
    const rec = h[i];
    if (rec && rec[0] === m) {
      sel.observe({ minute: m, count: rec[1], instances: rec[2] });
      if (rec[1] > 0) busy++;
      i++;
    } else sel.observe({ minute: m, count: 0, instances: 0 });
  }
  return busy;
}

/** The model having observed every minute < M. pre: minutes < M are closed in s.history. */
export function modelThrough(s: UserState, cached: CachedModel | undefined, M: number, G: number, combiner?: ServedCombiner): CachedModel {
  const gen = Math.floor((M - 1) / G) * G;
  if (cached && cached.gen === gen && cached.next <= M) {
    if (feed(cached.selector, s, cached.next, M) > 0) cached.sizes = undefined;
    cached.next = M;
    return cached;
  }
  // startMinuteOfDay 0: absolute minutes are epoch minutes, and epoch minute 0 is 00:00 UTC
  // id 0: it only picks training rows, and a served combiner keeps none. shared: its features read
  // this selector's candidates (the same numbers as an own copy, at about half the cost)
  const combined = combiner ? new CombinedModel({ prior: MODEL_PRIOR, startMinuteOfDay: 0, id: 0, combiner, shared: true }) : undefined;
  const selector = new ModelSelector({ prior: MODEL_PRIOR, startMinuteOfDay: 0, extra: combined ? [combined] : [] });
  combined?.attach(selector);
  const from = Math.max(s.firstMinute, gen - G);
  feed(selector, s, from, M);
  return { selector, gen, next: M, sizes: undefined };
}
