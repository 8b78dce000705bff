// Cost-aware placement of a launch over the tiers of one configuration. Rule (docs/scaler.md):
//  1. reserved (`<config>/reserved`) first, up to cost.reservedInstances: already paid for;
//  2. spot (`<config>/spot`) for the part of the target above the forecast's lower bound, when
//     spotEnabled and spotInterruptionRisk <= spotMaxRisk: if spot VMs are reclaimed, the
//     on-demand/reserved part still covers the demand we are confident about;
//  3. on-demand (`<config>`) for the rest.
// Example: target 10, lower bound 6, reserved 3 (0 running), spot allowed, 0 running -> 3
// reserved, 4 spot (10 - 6), 3 on-demand. Scale-in terminates in the opposite order.
import type { CostPolicy } from './policy.ts';
import type { Tier } from './pool-id.ts';

export interface TierCounts {
  readonly total: number;
  /** Free room reported by the adapter (capacity - total); Infinity when unknown. */
  readonly room: number;
}

export type Placement = Readonly<Record<Tier, number>>;

export function spotAllowed(c: CostPolicy): boolean {
  return c.spotEnabled && c.spotInterruptionRisk <= c.spotMaxRisk;
}

/** pre: need >= 0. Returns how many to launch per tier; the sum may be < need when rooms are full. */
export function placeLaunch(need: number, c: CostPolicy, target: number, lowerBound: number, tiers: Readonly<Record<Tier, TierCounts>>): Placement {
  let left = need;
  const reserved = Math.max(0, Math.min(left, c.reservedInstances - tiers.reserved.total, tiers.reserved.room));
  left -= reserved;
  const spotShare = spotAllowed(c) ? Math.max(0, target - Math.ceil(lowerBound)) : 0;
  const spot = Math.max(0, Math.min(left, spotShare - tiers.spot.total, tiers.spot.room));
  left -= spot;
  const onDemand = Math.max(0, Math.min(left, tiers['on-demand'].room));
  return { reserved, spot, 'on-demand': onDemand };
}

/** Scale-in order: on-demand first, then spot, reserved last (already paid for). */
export const TERMINATE_ORDER: readonly Tier[] = ['on-demand', 'spot', 'reserved'];
