// The forecasting contract shared by the replay and (later) the profiler service: a model
// learns online from event-time minute observations of ONE function (or user) and answers with
// a predictive distribution for several horizons. No replay-only model exists: the keep-warm
// policy consumes exactly this interface.

/** One closed minute of one function. Minutes arrive in increasing order; a skipped minute means 0. */
export interface MinuteObservation {
  /** absolute minute index (event time, e.g. epoch minutes or the trace slot) */
  readonly minute: number;
  /** requests in that minute */
  readonly count: number;
  /** concurrent instances needed in that minute (r of the replay model) */
  readonly instances: number;
}

export interface PredictiveDistribution {
  /** minutes ahead of the last observed minute: 1 = the next minute */
  readonly horizons: readonly number[];
  readonly levels: readonly number[];
  /** P(count > 0) at each horizon */
  readonly pAny: readonly number[];
  /** requestQuantiles[h][i] = quantile levels[i] of the request count at horizons[h] */
  readonly requestQuantiles: readonly (readonly number[])[];
  /** same for concurrent instances */
  readonly instanceQuantiles: readonly (readonly number[])[];
}

/** The probability-of-any part every model provides; sizes come from a shared SizeDistribution. */
export interface OccurrenceModel {
  readonly name: string;
  observe(obs: MinuteObservation): void;
  /** P(count > 0 in `minute`), pre: minute > last observed minute; assumes no request in between. */
  pAny(minute: number): number;
}

export interface DemandModel extends OccurrenceModel {
  predict(horizons: readonly number[], levels: readonly number[]): PredictiveDistribution;
}
