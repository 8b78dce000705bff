// @warmcast/ingest: validates, pseudonymizes, pairs and enriches execution events, stores raw
// rows in ClickHouse and forwards normalized events (see README.md and docs/ingest.md).
export { createIngestService } from './service.ts';
export type { IngestService, IngestServiceOptions } from './service-types.ts';
export { ingestOptions, DEFAULT_INGEST_OPTIONS } from './core/options.ts';
export type { IngestOptions, IngestOptionsInput } from './core/options.ts';
export { ingestEnv, hmacKeysFromEnv, INGEST_ENV_KEYS, HMAC_ENV } from './ingest-env.ts';
export { DEFAULT_LIMITS, REPLAY_LIMITS, REFERENCE_CLOCKS } from './core/limits.ts';
export type { ValidationLimits, ReferenceClock } from './core/limits.ts';
export { REASON_CODES } from './core/reasons.ts';
export type { ReasonCode, Validated } from './core/reasons.ts';
export { validateRequest, validateMetrics, validatePair } from './core/validate.ts';
export { Pseudonymizer, hmacUserKey, parseHmacSecret, DEV_HMAC_KEY, MIN_KEY_BYTES } from './core/pseudonym.ts';
export type { HmacKey } from './core/pseudonym.ts';
export { Pairer } from './core/pairing.ts';
export type { PairInput, PairOutput, PairingOptions, Origin } from './core/pairing.ts';
export { deriveFeatures, featuresOfTree, countNonBlankLines } from './core/features.ts';
export type { CodeFeaturesValue, CodeParsers, SyntaxTree } from './core/features.ts';
export { FeatureCache } from './core/feature-cache.ts';
export { IngestCore, emptyOutput } from './core/ingest-core.ts';
export type { Decoded, Output, Rejection, IngestCoreOptions } from './core/ingest-core.ts';
export { toNormalized, toRawRequestRow, toRawMetricsRow, eventIdOf, usageOf, normalizeTags } from './core/normalize.ts';
export { loadParsers, grammarDir } from './shell/parsers.ts';
export { KafkajsForwarder, chunkByBytes, MAX_REQUEST_BYTES } from './shell/forwarder.ts';
export type { Forwarder } from './shell/forwarder.ts';
export { LeanForwarder, murmur2, partitionOf } from './shell/lean-forwarder.ts';
export { CoPartitionedAssigner, coPartition, CO_PARTITIONED_PROTOCOL } from './shell/co-partitioned-assigner.ts';
