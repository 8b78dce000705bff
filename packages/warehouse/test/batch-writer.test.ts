// BatchWriter's shell logic with a manual clock and a hand-written fake insert: no sleeping,
// no I/O. The same writer against real chDB is in integration/warehouse.test.ts.
import { describe, expect, it } from 'vitest';
import { BatchWriter, Tables, WarehouseError } from '../src/index.ts';
import type { InsertBreaker, PoolStatusRow, WriterClock } from '../src/index.ts';

class ManualClock implements WriterClock {
  t = 0;
  timers: { at: number; fn: () => void }[] = [];
  sleeps: number[] = [];
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): (() => void) => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((x) => x !== timer); };
  };
  sleep = async (ms: number): Promise<void> => { this.sleeps.push(ms); };
  random = (): number => 0;
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

const passthrough: InsertBreaker = { name: 'test', call: (f) => f(), opened: () => false, shutdown: () => {} };
const row = (i: number): PoolStatusRow => ({ pool_id: `p${i}`, runtime: 'node20', size_class: 'S', warming: 0, active: i, idle: 0, capacity: 10, adapter: 'sim', as_of: i });
const flushed = () => new Promise<void>((r) => setImmediate(r));

function fakeWarehouse(failures: unknown[] = []) {
  const inserts: number[][] = [];
  return {
    inserts,
    async insert(_table: typeof Tables.poolStatus, rows: readonly PoolStatusRow[]) {
      const f = failures.shift();
      if (f !== undefined) throw f;
      inserts.push(rows.map((r) => r.active));
    },
  };
}

describe('BatchWriter', () => {
  it('resolves writes only when their batch is stored, flushing on time', async () => {
    const clock = new ManualClock();
    const wh = fakeWarehouse();
    const w = new BatchWriter({ warehouse: wh, table: Tables.poolStatus, maxRows: 100, maxDelayMs: 1000, clock, breaker: passthrough });
    let done = 0;
    void w.write([row(1), row(2)]).then(() => done++);
    clock.advance(300);
    void w.write([row(3)]).then(() => done++);
    clock.advance(699);
    await flushed();
    expect(wh.inserts).toEqual([]);
    expect(done).toBe(0);
    clock.advance(1);
    await flushed();
    expect(wh.inserts).toEqual([[1, 2, 3]]);
    expect(done).toBe(2);
    expect(w.stats()).toMatchObject({ rowsWritten: 3, batches: 1, pendingRows: 0 });
  });

  it('flushes at once when maxRows are pending', async () => {
    const clock = new ManualClock();
    const wh = fakeWarehouse();
    const w = new BatchWriter({ warehouse: wh, table: Tables.poolStatus, maxRows: 3, maxDelayMs: 1000, clock, breaker: passthrough });
    const p = Promise.all([w.write([row(1), row(2)]), w.write([row(3)])]);
    await p;
    expect(wh.inserts).toEqual([[1, 2, 3]]);
    expect(clock.t).toBe(0);
  });

  it('retries a retriable failure with back-off, then stores', async () => {
    const clock = new ManualClock();
    const down = new WarehouseError('WAREHOUSE_UNAVAILABLE', 'connect ECONNREFUSED');
    const wh = fakeWarehouse([down, down]);
    const w = new BatchWriter({ warehouse: wh, table: Tables.poolStatus, maxRows: 1, clock, breaker: passthrough, retry: { maxAttempts: 5, baseMs: 100, maxMs: 1000, factor: 2, jitter: 0 } });
    await w.write([row(1)]);
    expect(clock.sleeps).toEqual([100, 200]);
    expect(wh.inserts).toEqual([[1]]);
    expect(w.stats()).toMatchObject({ retries: 2, batches: 1, failedBatches: 0 });
  });

  it('rejects every waiting write after maxAttempts, and at once for a non-retriable error', async () => {
    const clock = new ManualClock();
    const down = new WarehouseError('WAREHOUSE_UNAVAILABLE', 'down');
    const w = new BatchWriter({ warehouse: fakeWarehouse([down, down, down]), table: Tables.poolStatus, maxRows: 2, clock, breaker: passthrough, retry: { maxAttempts: 3, baseMs: 10, maxMs: 10, factor: 1, jitter: 0 } });
    const results = await Promise.allSettled([w.write([row(1)]), w.write([row(2)])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'WAREHOUSE_UNAVAILABLE', message: expect.stringContaining('after 3 attempts') });

    const bad = new WarehouseError('QUERY_FAILED', 'Cannot parse input');
    const clock2 = new ManualClock();
    const w2 = new BatchWriter({ warehouse: fakeWarehouse([bad]), table: Tables.poolStatus, maxRows: 1, clock: clock2, breaker: passthrough });
    await expect(w2.write([row(1)])).rejects.toMatchObject({ code: 'QUERY_FAILED' });
    expect(clock2.sleeps).toEqual([]);
  });

  it('close() flushes what is pending and refuses later writes', async () => {
    const clock = new ManualClock();
    const wh = fakeWarehouse();
    const w = new BatchWriter({ warehouse: wh, table: Tables.poolStatus, maxRows: 100, maxDelayMs: 60_000, clock, breaker: passthrough });
    const p = w.write([row(1)]);
    await w.close();
    await p;
    expect(wh.inserts).toEqual([[1]]);
    expect(clock.timers).toEqual([]);
    await expect(w.write([row(2)])).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('runs one insert at a time: rows written during an insert go in the next one', async () => {
    const clock = new ManualClock();
    let release: () => void = () => {};
    const inserts: number[][] = [];
    const slow = {
      insert: async (_t: typeof Tables.poolStatus, rows: readonly PoolStatusRow[]) => {
        inserts.push(rows.map((r) => r.active));
        if (inserts.length === 1) await new Promise<void>((r) => { release = r; });
      },
    };
    const w = new BatchWriter({ warehouse: slow, table: Tables.poolStatus, maxRows: 1, clock, breaker: passthrough });
    const a = w.write([row(1)]);
    await flushed();
    const b = w.write([row(2)]);
    await flushed();
    expect(inserts).toEqual([[1]]);
    release();
    await Promise.all([a, b]);
    expect(inserts).toEqual([[1], [2]]);
  });
});
