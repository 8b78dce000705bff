// Batched inserts into one table (shell around core/batch-buffer.ts). write(rows) resolves
// only when those rows are stored, so a consumer commits its offsets after that and a crash
// re-delivers rows that were not. Inserts run one at a time per table, through a circuit
// breaker; a retriable failure (ClickHouse down, too many parts, breaker open) is retried
// with back-off up to maxAttempts, then every waiting write rejects with the last error.
import { backoffMs, createBreaker } from '@warmcast/kit';
import type { Breaker, Logger, RetryPolicy } from '@warmcast/kit';
import { BatchBuffer, DEFAULT_BATCH_POLICY } from './core/batch-buffer.ts';
import type { FlushReason } from './core/batch-buffer.ts';
import type { InsertableTable, TableRows } from './core/row-types.ts';
import { WarehouseError, toWarehouseError } from './errors.ts';

/** Real time by default; tests pass a manual clock and never sleep. */
export interface WriterClock {
  now(): number;
  /** Calls fn after ms; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realWriterClock: WriterClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: () => Math.random(),
};

/** A breaker for warehouse inserts; one can be shared by every writer of a process. */
export type InsertBreaker = Breaker<[() => Promise<unknown>], unknown>;

// Inserts of 10_000 rows into chDB take ~0.1-0.5 s here; 30 s leaves room for a busy server
// before the breaker counts a timeout.
export function createInsertBreaker(name = 'warehouse'): InsertBreaker {
  return createBreaker(name, (call: () => Promise<unknown>) => call(), { timeoutMs: 30_000 });
}

// 8 attempts, 200 ms base x2 capped at 5 s: waits 0.2+0.4+0.8+1.6+3.2+5+5 s = ~16 s of outage.
export const DEFAULT_WRITER_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 200, maxMs: 5000, factor: 2, jitter: 0.2 };

export interface BatchWriterOptions<T extends InsertableTable> {
  /** A Warehouse, or anything with its insert for this table. */
  readonly warehouse: { insert(table: T, rows: readonly TableRows[T][]): Promise<void> };
  readonly table: T;
  /** Default 10_000. */
  readonly maxRows?: number;
  /** Default 1000 ms. */
  readonly maxDelayMs?: number;
  readonly breaker?: InsertBreaker;
  readonly retry?: RetryPolicy;
  readonly clock?: WriterClock;
  readonly logger?: Logger;
}

export interface BatchWriterStats {
  readonly rowsWritten: number;
  readonly batches: number;
  readonly retries: number;
  readonly failedBatches: number;
  readonly pendingRows: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class BatchWriter<T extends InsertableTable> {
  readonly table: T;
  private readonly o: BatchWriterOptions<T>;
  private readonly buffer: BatchBuffer<TableRows[T], Waiter>;
  private readonly clock: WriterClock;
  private readonly breaker: InsertBreaker;
  private readonly ownsBreaker: boolean;
  private readonly retry: RetryPolicy;
  private cancelTimer: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private counts = { rowsWritten: 0, batches: 0, retries: 0, failedBatches: 0 };

  constructor(options: BatchWriterOptions<T>) {
    this.o = options;
    this.table = options.table;
    this.buffer = new BatchBuffer({ maxRows: options.maxRows ?? DEFAULT_BATCH_POLICY.maxRows, maxDelayMs: options.maxDelayMs ?? DEFAULT_BATCH_POLICY.maxDelayMs });
    this.clock = options.clock ?? realWriterClock;
    this.ownsBreaker = options.breaker === undefined;
    this.breaker = options.breaker ?? createInsertBreaker(`warehouse:${options.table}`);
    this.retry = options.retry ?? DEFAULT_WRITER_RETRY;
  }

  /** Resolves when `rows` are stored; rejects when they could not be (nothing was committed for them). */
  write(rows: readonly TableRows[T][]): Promise<void> {
    if (this.closed) return Promise.reject(new WarehouseError('CLOSED', `write to ${this.table}: writer is closed`));
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.buffer.add(rows, { resolve, reject }, this.clock.now());
      this.schedule();
    });
  }

  /** Flushes whatever is pending now (and waits for it). */
  flush(): Promise<void> {
    return this.enqueueFlush('close');
  }

  /** Stops accepting writes, flushes what is pending, waits for in-flight inserts. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.ownsBreaker) this.breaker.shutdown();
  }

  stats(): BatchWriterStats {
    return { ...this.counts, pendingRows: this.buffer.pendingRows };
  }

  private schedule(): void {
    const now = this.clock.now();
    const reason = this.buffer.due(now);
    if (reason !== undefined) {
      void this.enqueueFlush(reason);
      return;
    }
    const at = this.buffer.dueAt();
    if (at !== undefined && this.cancelTimer === undefined) {
      this.cancelTimer = this.clock.setTimer(() => {
        this.cancelTimer = undefined;
        this.schedule();
      }, Math.max(0, at - now));
    }
  }

  // Flushes run one after another: a batch taken while another insert is in flight waits for it,
  // so rows of one table reach ClickHouse in write order and at most one insert per table runs.
  private enqueueFlush(reason: FlushReason): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const run = this.chain.then(() => this.flushNow(reason));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushNow(reason: FlushReason): Promise<void> {
    const batch = this.buffer.take();
    if (batch.waiters.length === 0) return;
    try {
      await this.insertWithRetry(batch.rows, reason);
      this.counts.rowsWritten += batch.rows.length;
      this.counts.batches += 1;
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      this.counts.failedBatches += 1;
      for (const w of batch.waiters) w.reject(err);
    } finally {
      // Rows written while this insert ran may be due already (size) or need a timer.
      if (this.buffer.pendingRows > 0 && !this.closed) this.schedule();
    }
  }

  private async insertWithRetry(rows: TableRows[T][], reason: FlushReason): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.breaker.call(() => this.o.warehouse.insert(this.table, rows));
        this.o.logger?.debug({ table: this.table, rows: rows.length, reason, attempt }, 'batch stored');
        return;
      } catch (err) {
        const e = toWarehouseError(err, `insert into ${this.table}`);
        // kit's breaker maps an open circuit / timeout to retriable WarmcastErrors; keep their flag.
        const retriable = (err as { retriable?: unknown }).retriable === true || e.retriable;
        if (!retriable || attempt >= this.retry.maxAttempts) {
          this.o.logger?.error({ err: e, table: this.table, rows: rows.length, attempt }, 'batch insert failed');
          throw retriable ? new WarehouseError('WAREHOUSE_UNAVAILABLE', `${e.message} (after ${attempt} attempts)`, { cause: err }) : e;
        }
        this.counts.retries += 1;
        const delay = backoffMs(this.retry, attempt, this.clock.random());
        this.o.logger?.warn({ err: e, table: this.table, attempt, delayMs: delay }, 'batch insert failed; retrying');
        await this.clock.sleep(delay);
      }
    }
  }
}
