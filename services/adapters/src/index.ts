// @warmcast/adapters: hypervisor adapters (the interface and the default simulator). See README.md.
export { createAdapterService } from './service.ts';
export type { AdapterService, AdapterServiceOptions } from './service.ts';
export { NO_REPORTS } from './adapter.ts';
export type { HypervisorAdapter, ApplyOutcome, AdapterReports, AdapterTotals } from './adapter.ts';
export { SimulatorAdapter, toSimRequest } from './simulator-adapter.ts';
export { Simulator } from './core/simulator.ts';
export type { SimRequest, Placement, CommandStep, RequestStep } from './core/simulator.ts';
export { simulatorParams, DEFAULT_PARAMS, BOOT_PRESETS, ParamError, costPerMs } from './core/params.ts';
export type { SimulatorParams, SimulatorOptions, Lognormal } from './core/params.ts';
export { parsePoolId, basePoolId, userPoolId, CLASS_RESOURCES, SIZE_CLASSES } from './core/pool-id.ts';
export type { PoolRef, Market, FixedSizeClass } from './core/pool-id.ts';
export { adapterEnv, ADAPTER_ENV_KEYS } from './env.ts';
