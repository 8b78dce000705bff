// The batching decision (pure; time is an argument). Rows wait until either maxRows are
// pending (flush now) or the oldest pending row has waited maxDelayMs (flush then). Each
// write carries a waiter token that is handed back with the batch that stores it, so the
// shell resolves a write only when its rows are durable.
// Worked example, maxRows 10_000, maxDelayMs 1000: 4 forecasts at t=0 and 6 at t=300 flush
// together at t=1000; 12_000 rows written at t=0 flush at once (one insert of 12_000).
export interface BatchPolicy {
  /** Flush as soon as this many rows are pending. pre: >= 1 */
  readonly maxRows: number;
  /** Flush when the oldest pending row has waited this long, ms. pre: >= 0 */
  readonly maxDelayMs: number;
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = { maxRows: 10_000, maxDelayMs: 1000 };

export type FlushReason = 'size' | 'time' | 'close';

export interface Batch<R, W> {
  readonly rows: R[];
  readonly waiters: W[];
}

export class BatchBuffer<R, W> {
  private rows: R[] = [];
  private waiters: W[] = [];
  private firstAt: number | undefined;

  constructor(readonly policy: BatchPolicy) {
    if (!Number.isInteger(policy.maxRows) || policy.maxRows < 1) throw new RangeError(`maxRows=${policy.maxRows} must be an integer >= 1`);
    if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < 0) throw new RangeError(`maxDelayMs=${policy.maxDelayMs} must be a number >= 0`);
  }

  get pendingRows(): number {
    return this.rows.length;
  }

  add(rows: readonly R[], waiter: W, now: number): void {
    if (this.waiters.length === 0) this.firstAt = now;
    for (const r of rows) this.rows.push(r);
    this.waiters.push(waiter);
  }

  /** Why a flush is due at `now`, or undefined when it is not (or nothing is pending). */
  due(now: number): FlushReason | undefined {
    if (this.waiters.length === 0) return undefined;
    if (this.rows.length >= this.policy.maxRows) return 'size';
    if (now - (this.firstAt ?? now) >= this.policy.maxDelayMs) return 'time';
    return undefined;
  }

  /** When the pending rows become due by time (ms epoch), or undefined when nothing is pending. */
  dueAt(): number | undefined {
    return this.firstAt === undefined || this.waiters.length === 0 ? undefined : this.firstAt + this.policy.maxDelayMs;
  }

  /** Everything pending, as one batch; the buffer is empty afterwards. */
  take(): Batch<R, W> {
    const batch = { rows: this.rows, waiters: this.waiters };
    this.rows = [];
    this.waiters = [];
    this.firstAt = undefined;
    return batch;
  }
}
