import { QUANTILE_GRID } from './config.ts';

/**
 * Quantile of the count at t+1 at level tau under the hurdle model:
 * P(count = 0) = 1 - p; given count > 0, log1p(count) has the learned quantiles logQ at
 * QUANTILE_GRID. So Q(tau) = 0 when tau <= 1 - p, else expm1(conditional quantile at
 * (tau - (1 - p)) / p), linearly interpolated in log1p space between grid levels and held
 * flat beyond the first/last level.
 * Worked example: p = 0.8, tau = 0.6 -> conditional level (0.6 - 0.2) / 0.8 = 0.5 -> median.
 * Monotone in tau because both pieces are (0 <= expm1(ln 2) = 1 <= the conditional part).
 * pre: 0 < tau < 1, logQ non-decreasing with QUANTILE_GRID.length entries.
 */
export function hurdleQuantile(p: number, logQ: ArrayLike<number>, tau: number): number {
  const zero = 1 - p;
  if (tau <= zero) return 0;
  const level = (tau - zero) / p;
  const g = QUANTILE_GRID;
  const n = g.length;
  if (level <= (g[0] as number)) return Math.expm1(logQ[0] as number);
  if (level >= (g[n - 1] as number)) return Math.expm1(logQ[n - 1] as number);
  let k = 1;
  while ((g[k] as number) < level) k++;
  const lo = g[k - 1] as number;
  const hi = g[k] as number;
  const w = (level - lo) / (hi - lo);
  return Math.expm1((1 - w) * (logQ[k - 1] as number) + w * (logQ[k] as number));
}
