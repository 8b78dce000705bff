// Small numeric helpers shared by the forecast, the per-request need and the accuracy scorer.

/** The four published quantile levels, in schema order p10, p50, p90, p99. */
export const LEVELS = [0.1, 0.5, 0.9, 0.99] as const;

export interface Q4 {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

export const q4 = (xs: readonly number[]): Q4 => ({ p10: xs[0] ?? 0, p50: xs[1] ?? 0, p90: xs[2] ?? 0, p99: xs[3] ?? 0 });
export const q4List = (q: Q4): number[] => [q.p10, q.p50, q.p90, q.p99];
export const scaleQ4 = (q: Q4, f: number): Q4 => ({ p10: q.p10 * f, p50: q.p50 * f, p90: q.p90 * f, p99: q.p99 * f });

/**
 * Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.15e-9).
 * pre: 0 < p < 1. Example: z(0.9) = 1.2816, z(0.99) = 2.3263.
 */
const NA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const NB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const NC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ND = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

export function normalQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((NC[0] * q + NC[1]) * q + NC[2]) * q + NC[3]) * q + NC[4]) * q + NC[5]) / ((((ND[0] * q + ND[1]) * q + ND[2]) * q + ND[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((NA[0] * r + NA[1]) * r + NA[2]) * r + NA[3]) * r + NA[4]) * r + NA[5]) * q) / (((((NB[0] * r + NB[1]) * r + NB[2]) * r + NB[3]) * r + NB[4]) * r + 1);
}

/** Empirical quantile of sorted values: the smallest x with share(<= x) >= level (inverse CDF, no interpolation). */
export function sortedQuantile(sorted: readonly number[], level: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(level * sorted.length) - 1));
  return sorted[idx] ?? 0;
}

/** Pinball (quantile) loss of predicting x at level q when y happened. Example: q 0.9, x 10, y 14 -> 3.6; y 6 -> 0.4. */
export function pinball(q: number, x: number, y: number): number {
  const e = y - x;
  return e >= 0 ? q * e : (q - 1) * e;
}
