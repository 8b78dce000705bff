// @warmcast/scaler: a pure decider (src/core) and a thin Kafka shell. See README.md and docs/scaler.md.
export { createScalerService } from './service.ts';
export type { ScalerService, ScalerServiceOptions } from './service.ts';
export { decide } from './core/decide.ts';
export type { Decision, PoolNote, NoteAction } from './core/decide.ts';
export { DEFAULT_POLICY, DEFAULT_POOL_POLICY, DEFAULT_GLOBAL_POLICY, MODES, BREACH_BEHAVIOURS, BOUNDS, policyFor, leadTimeMs, mergePoolPolicy, withMode } from './core/policy.ts';
export type { ScalerPolicy, PoolPolicy, GlobalPolicy, PoolPolicyOverride, Mode, BreachBehaviour, BoundChoice, ScheduleWindow } from './core/policy.ts';
export { parsePolicy } from './core/policy-parse.ts';
export type { PolicyResult } from './core/policy-parse.ts';
export { INITIAL_STATE } from './core/state.ts';
export type { ScalerState } from './core/state.ts';
export { EMPTY_INPUT } from './core/inputs.ts';
export type { DecideInput, DemandRef, ClusterRef, Reservation, HeavyUser } from './core/inputs.ts';
export { parsePoolId, userPoolId, tierPoolId, variablePoolId } from './core/pool-id.ts';
export type { ParsedPoolId, Tier } from './core/pool-id.ts';
export { loadPolicyFile, policyOrThrow } from './policy-file.ts';
export { parseScalerEnv, SCALER_ENV_KEYS } from './env.ts';
export type { ScalerEnv } from './env.ts';
