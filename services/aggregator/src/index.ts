// @warmcast/aggregator: per-user forecasts -> demand per pool x horizon, cluster load, and
// pool anomalies. See README.md and docs/aggregation.md.
export { createAggregatorService } from './service.ts';
export type { AggregatorService, AggregatorServiceOptions } from './service.ts';
export { parseAggregatorSettings, AGGREGATOR_ENV, DEFAULT_SETTINGS } from './settings.ts';
export type { AggregatorSettings, AggregatorOverrides } from './settings.ts';
export { AggregatorCore } from './core/aggregator.ts';
export type { CoreSettings, CoreCounters } from './core/aggregator.ts';
export { aggregateWindow } from './core/aggregate.ts';
export type { AggregateSettings, PoolBand, WindowOutput } from './core/aggregate.ts';
export { combine, convolve, correlatedVariance, pmfBounds } from './core/combine.ts';
export type { Band, Combined, CombineSettings, Contribution, Method } from './core/combine.ts';
export { countPmf, continuousMoments, pmfMoments, thin, thinMoments } from './core/distribution.ts';
export type { Moments, Pmf } from './core/distribution.ts';
export { WindowBuffer } from './core/windows.ts';
export type { AddStatus, ClosedWindow } from './core/windows.ts';
export { DemandMemory, detectPoolAnomaly, forecastRef, DEFAULT_ANOMALY, POOL_METRIC } from './core/anomaly.ts';
export type { AnomalySettings } from './core/anomaly.ts';
export { DEFAULT_WEIGHTS, userWeight } from './core/weights.ts';
export type { WeightSettings } from './core/weights.ts';
export { parsePoolKey, poolKey } from './core/pool-key.ts';
export { normalQuantile, twoSidedZ } from './core/normal.ts';
