// @warmcast/registry: an embedded Confluent-compatible Schema Registry (AVRO only).
export { startRegistry } from './registry.ts';
export type { RunningRegistry } from './registry.ts';
export { parseRegistryConfig, RegistryConfigError } from './config.ts';
export type { RegistryOptions, RegistryConfig } from './config.ts';
export { ErrorCodes, COMPATIBILITY_LEVELS, DEFAULT_COMPATIBILITY, compatibilityProblems, readProblem } from './core/index.ts';
export type { ErrorCode, RegistryError, CompatibilityLevel, RegistryEvent } from './core/index.ts';
