// Decision latency (demand arrival -> commands acknowledged), last N samples, for stats().
export class LatencyWindow {
  private readonly samples: number[] = [];
  last = 0;
  max = 0;
  constructor(private readonly size: number) {}

  add(ms: number): void {
    this.last = ms;
    this.max = Math.max(this.max, ms);
    this.samples.push(ms);
    if (this.samples.length > this.size) this.samples.shift();
  }

  /** Nearest-rank quantile of the window; 0 when empty. */
  quantile(q: number): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  }
}
