// Percentile by linear interpolation between closest ranks (numpy's default, "type 7"):
// sorted x[0..n-1], h = (n - 1) * p / 100, result = x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
// Worked example: [10, 20, 30, 40], p = 75 -> h = 2.25 -> 30 + 0.25 * 10 = 32.5.
// pre: 0 <= p <= 100. Returns NaN for an empty list.
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p=${p} outside [0, 100]`);
  if (values.length === 0) return Number.NaN;
  const x = [...values].sort((a, b) => a - b);
  const h = ((x.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const a = x[lo] ?? 0;
  const b = x[Math.min(lo + 1, x.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}
