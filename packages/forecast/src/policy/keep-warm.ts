// The keep-warm policy: one risk knob in (0, 1) trades cold starts against idle memory.
// Keeping the k-th instance warm next minute avoids a cold start with probability
// P(r >= k) and idles m_f MB for the minute otherwise. With a cold start valued at
// lambda MB-minutes, keep it iff P(r >= k) * lambda >= (1 - P(r >= k)) * m_f, i.e.
// P(r >= k) >= theta_f = m_f / (m_f + lambda). The knob sets lambda = 150 * (1 - risk) / risk, so
// for a 150 MB function theta = risk: risk 0.1 keeps one instance while P(any) >= 0.1; a 600 MB
// function then needs P >= 0.31 (before the rarity factor below). The policy warms w = max{k : P(r >= k) >= theta_f}, the
// (1 - theta_f)-quantile of instances.
import type { DemandModel } from '../model.ts';
import type { SizeDistribution } from '../models/size-distribution.ts';

export const REFERENCE_MEMORY_MB = 150;
const MAX_INSTANCES = 1024;

// Rare functions: one cold start moves their per-function cold-start % by 1/N. The value of a
// cold start grows as 1 + RARITY_WEIGHT / (request-minutes per hour): a function active 1 minute
// an hour values it 3x, one active every minute 1.03x. 2 is a round design value (0.5, 1, 2 and 4
// were tried on the day trace; all give a similar frontier, 2 sits in the middle), not a per-row fit.
export const RARITY_WEIGHT = 2;
/** activeShare: the function's share of minutes with requests (its base rate). */
export function warmThreshold(risk: number, memoryMb: number, activeShare = 1): number {
  if (!(risk > 0 && risk < 1)) throw new RangeError(`risk=${risk} must be in (0, 1)`);
  const lambda = ((REFERENCE_MEMORY_MB * (1 - risk)) / risk) * (1 + RARITY_WEIGHT / Math.max(activeShare * 60, 0.05));
  return memoryMb / (memoryMb + lambda);
}

/** Instances to keep warm for the next minute. pre: pAny in [0, 1]. */
export function instancesToWarm(pAny: number, sizes: SizeDistribution, threshold: number): number {
  if (pAny < threshold) return 0;
  let k = 1;
  while (k < MAX_INSTANCES && pAny * sizes.instancesAtLeast(k + 1) >= threshold) k++;
  return k;
}

/** The same decision from a model's predictive distribution (for callers that hold only the interface). */
export function instancesToWarmFromModel(model: DemandModel & { sizes: SizeDistribution }, nextMinute: number, threshold: number): number {
  return instancesToWarm(model.pAny(nextMinute), model.sizes, threshold);
}
