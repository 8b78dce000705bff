// Headroom weights by tier and priority. A weight w scales how far a user's contribution may
// deviate from its mean (X' = mu + w (X - mu)): the expected count is untouched, the variance
// becomes w^2 sigma^2. So a pool of ENTERPRISE users (1.5) gets 1.5x the headroom above the mean
// of the same pool of STANDARD users, and FREE users (0.5) half of it. Why not scale the mean:
// see docs/aggregation.md, "Weights".
import type { Tier } from '@warmcast/kit';

export interface WeightSettings {
  readonly tiers: Readonly<Record<Tier, number>>;
  /** Added per priority step: weight = tier weight x (1 + priorityStep x priority), priority 0..9. */
  readonly priorityStep: number;
}

export const DEFAULT_WEIGHTS: WeightSettings = Object.freeze({
  tiers: Object.freeze({ FREE: 0.5, STANDARD: 1, PREMIUM: 1.25, ENTERPRISE: 1.5, UNKNOWN: 1 }),
  priorityStep: 0,
});

function isTier(t: string, tiers: Readonly<Record<Tier, number>>): t is Tier {
  return Object.prototype.hasOwnProperty.call(tiers, t);
}

/** An unknown tier symbol (a newer schema) weighs as UNKNOWN. */
export function userWeight(tier: string, priority: number, w: WeightSettings): number {
  const base = isTier(tier, w.tiers) ? w.tiers[tier] : w.tiers.UNKNOWN;
  const p = Math.min(9, Math.max(0, Number.isFinite(priority) ? priority : 0));
  return base * (1 + w.priorityStep * p);
}
