// Builds ProvisionCommand values with every nullable field explicit.
import type { CommandKind, PoolConfiguration, ProvisionCommand } from '@warmcast/kit';

export interface CommandSpec {
  readonly kind: CommandKind;
  readonly poolId: string;
  readonly pool: PoolConfiguration;
  readonly count?: number;
  readonly vmId?: string;
  readonly cpuCores?: number;
  readonly memoryMb?: number;
  readonly targetPoolId?: string;
  readonly preloadProfile?: string;
  readonly rule: string;
  readonly forecastRef: string | null;
  readonly bound: number | null;
  readonly text: string;
}

export function buildCommand(spec: CommandSpec, id: string, dryRun: boolean, now: number): ProvisionCommand {
  return {
    commandId: id,
    kind: spec.kind,
    poolId: spec.poolId,
    pool: { runtime: spec.pool.runtime, sizeClass: spec.pool.sizeClass },
    vmId: spec.vmId ?? null,
    count: spec.count ?? null,
    cpuCores: spec.cpuCores ?? null,
    memoryMb: spec.memoryMb ?? null,
    targetPoolId: spec.targetPoolId ?? null,
    preloadProfile: spec.preloadProfile ?? null,
    reason: { rule: spec.rule, forecastRef: spec.forecastRef, bound: spec.bound, text: spec.text },
    dryRun,
    issuedAt: now,
  };
}
