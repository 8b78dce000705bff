// What the decider sees at one decision: the newest record per key, built by the shell.
import type { AggregatedDemand, Anomaly, ClusterLoad, CommandResult, PoolStatus } from '@warmcast/kit';

/** A demand record and where it came from (`topic/partition/offset`), for the command reason. */
export interface DemandRef {
  readonly demand: AggregatedDemand;
  readonly ref: string;
}

export interface ClusterRef {
  readonly load: ClusterLoad;
  readonly ref: string;
}

/** A booking: `count` instances of `poolId` (a configuration `rt/sc`) from `fromMs` to `toMs`. */
export interface Reservation {
  readonly reservationId: string;
  readonly poolId: string;
  readonly count: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly owner: string;
}

/**
 * A user whose share of a configuration's demand may justify a preloaded sub-pool. The
 * aggregated demand has no per-user split, so the shell derives this from per-user forecasts
 * (or the policy lists users); `share` = the user's expected instances / the pool's, 0..1.
 */
export interface HeavyUser {
  readonly userKey: string;
  readonly config: string;
  readonly share: number;
  /** Software configuration to preload (e.g. an image or requirements digest). */
  readonly profile: string;
}

export interface DecideInput {
  /** Newest demand per configuration and horizon. */
  readonly demand: readonly DemandRef[];
  /** Newest status per pool id. */
  readonly poolStatus: readonly PoolStatus[];
  /** Newest cluster load per horizon. */
  readonly clusterLoad: readonly ClusterRef[];
  readonly anomalies: readonly Anomaly[];
  readonly reservations: readonly Reservation[];
  readonly heavyUsers: readonly HeavyUser[];
  /** Command results that arrived since the previous decision (each is seen once). */
  readonly results: readonly CommandResult[];
  /** True when the forecaster reported a failure: every pool uses its fallback capacity. */
  readonly forecasterFailed?: boolean;
}

export const EMPTY_INPUT: DecideInput = Object.freeze({
  demand: [], poolStatus: [], clusterLoad: [], anomalies: [], reservations: [], heavyUsers: [], results: [],
});
