// @warmcast/traffic: turns a function trace (Azure Functions 2019 layouts) into execution
// request and metrics events (pure generator) and publishes them paced in event time.
export { generateTraffic, toTrafficTrace, MINUTE_MS } from './core/generator.ts';
export type { TrafficEvent, MinuteEvents, GeneratorOptions } from './core/generator.ts';
export { parseProfiles, averagesOnly, quantile } from './core/profile.ts';
export type { TrafficTrace, FunctionProfile, Quantiles, ProfileTexts } from './core/profile.ts';
export { functionTraits, userTraits, SIZE_CLASSES } from './core/traits.ts';
export type { FunctionTraits, UserTraits } from './core/traits.ts';
export { synthesizeSource } from './core/source-text.ts';
export { wallDue, replayTime, isValidSpeed } from './core/pace.ts';
export type { Pace } from './core/pace.ts';
export { loadTrafficTrace } from './load.ts';
export { SAMPLE_TRACE_DIR } from './sample.ts';
export { publishTrace } from './publisher.ts';
export type { PublishOptions, PublishResult, PublishProgress } from './publisher.ts';
export { systemClock } from './clock.ts';
export type { WallClock } from './clock.ts';
