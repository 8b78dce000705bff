// Fixed keep-alive of K minutes: w[f,t] = max of r[f,t-K..t-1] (DESIGN.md). With K = 10, a
// function last busy with 2 instances at t = 100 keeps 2 warm in t = 101..110 and 0 at 111.
export const FIXED_KEEP_ALIVE_MINUTES = [1, 5, 10, 20, 30, 60, 120, 240] as const;

/** pre: K >= 1. Causal: w[t] depends on r[< t] only. O(T) per function (monotonic deque). */
export function fixedKeepAlive(r: readonly Int32Array[], keepAliveMinutes: number): Int32Array[] {
  if (!(keepAliveMinutes >= 1)) throw new RangeError(`fixedKeepAlive: K=${keepAliveMinutes} must be >= 1`);
  const K = keepAliveMinutes;
  return r.map((rf) => {
    const T = rf.length;
    const w = new Int32Array(T);
    const deque = new Int32Array(T); // indices with decreasing r
    let head = 0;
    let tail = 0;
    for (let t = 0; t < T; t++) {
      // window for slot t is [t-K, t-1]; slot t-1 has just become visible
      if (t >= 1) {
        const v = rf[t - 1] ?? 0;
        while (tail > head && (rf[deque[tail - 1] ?? 0] ?? 0) <= v) tail--;
        deque[tail++] = t - 1;
      }
      while (tail > head && (deque[head] ?? 0) < t - K) head++;
      w[t] = tail > head ? (rf[deque[head] ?? 0] ?? 0) : 0;
    }
    return w;
  });
}
