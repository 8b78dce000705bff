// Empirical distribution of the request count and the instance count in minutes WITH requests
// (the "size" part of a hurdle model): the last 32 non-zero minutes, most recent weighted like
// the rest. 32 minutes is long enough for a p95 of bursty sizes and short enough to follow a
// daily ramp within half an hour.
import type { PredictiveDistribution } from '../model.ts';

export const SIZE_WINDOW = 32;

export class SizeDistribution {
  private readonly counts = new Int32Array(SIZE_WINDOW);
  private readonly instances = new Int32Array(SIZE_WINDOW);
  private n = 0;
  private next = 0;

  add(count: number, instances: number): void {
    if (count <= 0) return;
    this.counts[this.next] = count;
    this.instances[this.next] = instances;
    this.next = (this.next + 1) % SIZE_WINDOW;
    this.n = Math.min(SIZE_WINDOW, this.n + 1);
  }

  get size(): number {
    return this.n;
  }

  /** A hurdle model's answer: P(any) per horizon (from the occurrence part) with these sizes. */
  predictive(horizons: readonly number[], levels: readonly number[], pAny: readonly number[]): PredictiveDistribution {
    return {
      horizons,
      levels,
      pAny,
      requestQuantiles: pAny.map((p) => levels.map((q) => this.quantile(q, p, 'count'))),
      instanceQuantiles: pAny.map((p) => levels.map((q) => this.quantile(q, p, 'instances'))),
    };
  }

  /** P(instances >= k | any request); 1 for k <= 1 (one request needs one instance). */
  instancesAtLeast(k: number): number {
    if (k <= 1) return 1;
    if (this.n === 0) return 0;
    let c = 0;
    for (let i = 0; i < this.n; i++) if ((this.instances[i] ?? 0) >= k) c++;
    return c / this.n;
  }

  /** Unconditional quantile of a hurdle variable: 0 with probability 1 - pAny, else the empirical size. */
  quantile(level: number, pAny: number, which: 'count' | 'instances'): number {
    if (level <= 1 - pAny || this.n === 0) return level <= 1 - pAny ? 0 : 1;
    const cond = Math.min(1, (level - (1 - pAny)) / Math.max(pAny, 1e-12));
    const src = which === 'count' ? this.counts : this.instances;
    const xs = Array.from(src.subarray(0, this.n)).sort((a, b) => a - b);
    const idx = Math.min(xs.length - 1, Math.max(0, Math.ceil(cond * xs.length) - 1));
    return xs[idx] ?? 1;
  }
}
