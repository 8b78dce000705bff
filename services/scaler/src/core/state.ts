// Decider state: everything decide() remembers between calls. Plain data, copied, never mutated.

/** A LAUNCH/PRELOAD (+) or TERMINATE (-) that the pool status does not show yet. */
export interface InFlight {
  readonly commandId: string;
  readonly poolId: string;
  readonly delta: number;
  readonly issuedAt: number;
  /** Event time the adapter applied it; the delta counts until a status with asOf >= appliedAt. */
  readonly appliedAt: number | null;
  /**
   * A forecast-only command: no status will ever show it, so it counts until pendingTtlMs only.
   * Without this a dry-run pool would re-publish the same LAUNCH after every cooldown; with it
   * forecast-only publishes what enforce would have, once per pendingTtlMs (5 min) or when the
   * target grows.
   */
  readonly dryRun?: boolean;
}

export interface ConfigState {
  /** First event time demand was seen for this configuration (minimum-history rule). */
  readonly firstDemandAt: number | null;
  readonly lastScaleOutAt: number | null;
  readonly lastScaleInAt: number | null;
  /** Since when the surplus has held continuously (scale-in stabilization), and its minimum. */
  readonly dropSince: number | null;
  readonly minSurplus: number;
  /** Since when an unmet launch need has waited (priority queue age). */
  readonly needSince: number | null;
  readonly lastTarget: number;
}

export interface Allocation {
  readonly cpuCores: number;
  readonly memoryMb: number;
}

export interface ScalerState {
  /** Commands issued so far at event time lastNow (the k of command ids; 0 again when time moves on). */
  readonly seq: number;
  readonly lastNow: number | null;
  readonly configs: Readonly<Record<string, ConfigState>>;
  readonly inFlight: readonly InFlight[];
  /** Per-VM allocation of variable pools after the RESIZEs we issued. */
  readonly allocations: Readonly<Record<string, Allocation>>;
}

export const INITIAL_STATE: ScalerState = Object.freeze({ seq: 0, lastNow: null, configs: Object.freeze({}), inFlight: Object.freeze([]), allocations: Object.freeze({}) });

export const INITIAL_CONFIG_STATE: ConfigState = Object.freeze({
  firstDemandAt: null, lastScaleOutAt: null, lastScaleInAt: null, dropSince: null, minSurplus: Number.POSITIVE_INFINITY, needSince: null, lastTarget: 0,
});
