// The sink's consumer (shell). kafkajs eachBatch, one topic-partition batch at a time per
// partition (up to `concurrency` partitions at once): decode every value, map it to rows,
// hand all rows to the per-table BatchWriters, and commit the batch's offsets only after
// every write resolved (rows stored) and every dead letter was acked. Many partitions'
// batches wait on the same writers, so one flush (10_000 rows or 1 s) stores them together;
// the kit's per-message ConsumerLoop would instead wait up to maxDelayMs per message.
//
// Failures: undecodable values and rows the warehouse refuses (ROW_INVALID, or a
// non-retriable insert error pinned to one message) go to ops.deadletter.v1 with the original
// bytes. A retriable failure (ClickHouse down, registry down) is retried without limit (back-off
// capped at 5 s), heartbeating, until it works or close() stops the loop; the batch is then
// not committed and is re-delivered. Nothing is skipped.
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Topics, backoffMs, toDeadLetter } from '@warmcast/kit';
import type { DeadLetterInput, ErrorCode, Logger, RawMessage, RetryPolicy, TypedProducer } from '@warmcast/kit';
import { isSinkTopic, rowsForTopic } from '../core/topic-rows.ts';
import type { SinkTopic, TableBatch } from '../core/topic-rows.ts';
import { deadLetterRow } from '../core/rows.ts';
import { Tables } from '../core/tables.ts';
import type { InsertableTable } from '../core/row-types.ts';
import { isWarehouseError, toWarehouseError } from '../errors.ts';
import type { BatchWriter } from '../batch-writer.ts';
import type { Warehouse } from '../warehouse.ts';

export interface SinkClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const realClock: SinkClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: () => Math.random() };

// Unlimited attempts (a ClickHouse outage must not drop rows); 100 ms base, capped at 5 s.
const STORE_RETRY: RetryPolicy = { maxAttempts: Number.MAX_SAFE_INTEGER, baseMs: 100, maxMs: 5000, factor: 2, jitter: 0.2 };

export interface SinkCounters {
  messages: number;
  batches: number;
  deadLettered: number;
  storeRetries: number;
  isolatedInserts: number;
}

export interface BatchConsumerOptions {
  readonly consumer: Consumer;
  readonly topics: readonly SinkTopic[];
  readonly producer: TypedProducer;
  readonly writers: ReadonlyMap<InsertableTable, BatchWriter<InsertableTable>>;
  /** For inserting one message's rows alone when a batch is refused (to find the bad message). */
  readonly warehouse: Pick<Warehouse, 'insert'>;
  readonly log: Logger;
  /** Written into dead letters as the service that gave up. */
  readonly service: string;
  readonly concurrency: number;
  readonly fromBeginning: boolean;
  readonly clock?: SinkClock;
}

interface Item {
  readonly raw: RawMessage;
  batches: TableBatch[];
  dead?: { code: ErrorCode; text: string };
}

export class SinkBatchConsumer {
  readonly counters: SinkCounters = { messages: 0, batches: 0, deadLettered: 0, storeRetries: 0, isolatedInserts: 0 };
  private readonly o: BatchConsumerOptions;
  private readonly clock: SinkClock;
  private running = false;
  /** Partition batches being decoded right now (their rows are about to be written). */
  private collecting = 0;
  private stop: () => void = () => {};
  private stopped: Promise<void> = Promise.resolve();

  constructor(options: BatchConsumerOptions) {
    this.o = options;
    this.clock = options.clock ?? realClock;
  }

  async start(): Promise<void> {
    const { consumer } = this.o;
    this.running = true;
    this.stopped = new Promise<void>((resolve) => { this.stop = resolve; });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.o.topics], fromBeginning: this.o.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.concurrency,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Stops fetching; a batch waiting for a retry gives up uncommitted (re-delivered on restart). */
  async close(): Promise<void> {
    this.running = false;
    this.stop();
    await this.o.consumer.disconnect();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const topic = batch.topic;
    const last = batch.messages[batch.messages.length - 1];
    if (!isSinkTopic(topic) || last === undefined) return;
    const log = this.o.log.child({ topic, partition: batch.partition });
    const alive = (): boolean => this.running && isRunning() && !isStale();
    const items: Item[] = [];
    this.collecting += 1;
    try {
      for (const m of batch.messages) {
        if (!alive()) return;
        const item = await this.decode(topic, batch.partition, m, log, heartbeat, alive);
        if (item === undefined) return;
        items.push(item);
      }
    } finally {
      this.collecting -= 1;
    }
    if (!(await this.store(topic, items, log, heartbeat, alive))) return;
    resolveOffset(last.offset);
    if (isStale()) return; // after a rebalance the partition may be someone else's
    await this.o.consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    this.counters.messages += items.length;
    this.counters.batches += 1;
    await heartbeat();
  }

  private async decode(topic: SinkTopic, partition: number, m: KafkaMessage, log: Logger, heartbeat: () => Promise<void>, alive: () => boolean): Promise<Item | undefined> {
    const raw: RawMessage = { topic, partition, offset: m.offset, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? {} };
    const codec = this.o.producer.codec(topic);
    for (let attempt = 1; ; attempt++) {
      const decoded = await codec.decode(raw.value);
      if (decoded.ok) {
        try {
          return { raw, batches: rowsForTopic(topic, decoded.value as never) };
        } catch (err) {
          if (isWarehouseError(err) && err.code === 'ROW_INVALID') return { raw, batches: [], dead: { code: 'VALIDATION_FAILED', text: err.message } };
          throw err; // a programmer error: let kafkajs restart the consumer from the last commit
        }
      }
      if (!decoded.retriable) return { raw, batches: [], dead: { code: decoded.code, text: decoded.text } };
      log.warn({ offset: m.offset, attempt, reason: decoded.text }, 'schema lookup failed; retrying');
      if (!(await this.pause(attempt, heartbeat, alive))) return undefined;
    }
  }

  /** True when every row is stored and every dead letter acked; false when the loop stopped first. */
  private async store(topic: SinkTopic, items: Item[], log: Logger, heartbeat: () => Promise<void>, alive: () => boolean): Promise<boolean> {
    const done = new Set<InsertableTable>();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.writeAll(items, done, log);
        await this.deadLetter(topic, items, log);
        return true;
      } catch (err) {
        const e = toWarehouseError(err, `store ${topic}`);
        const retriable = (err as { retriable?: unknown }).retriable === true || e.retriable;
        if (!retriable) {
          // The warehouse refused a batch: find the message(s) it refuses and dead-letter them.
          log.warn({ err: e }, 'batch refused; inserting message by message');
          await this.isolate(items, done);
          continue;
        }
        this.counters.storeRetries += 1;
        log.warn({ err: e, attempt }, 'store failed; batch not committed, retrying');
        if (!(await this.pause(attempt, heartbeat, alive))) return false;
      }
    }
  }

  private async writeAll(items: readonly Item[], done: Set<InsertableTable>, log: Logger): Promise<void> {
    const byTable = new Map<InsertableTable, unknown[]>();
    for (const item of items) {
      for (const b of item.batches) {
        if (done.has(b.table)) continue;
        let rows = byTable.get(b.table);
        if (rows === undefined) byTable.set(b.table, (rows = []));
        for (const r of b.rows) rows.push(r);
      }
    }
    // Every table's write is awaited (allSettled) so a failure of one never leaves another's
    // outcome unknown; tables that succeeded are not written again on retry.
    const tables = [...byTable.keys()];
    const writes = tables.map((t) => {
      const writer = this.o.writers.get(t);
      if (writer === undefined) return Promise.reject(new Error(`no writer for table ${t}`));
      return writer.write(byTable.get(t) as never[]);
    });
    // No other partition batch is still being decoded, so no more rows are coming for now:
    // store what is pending instead of waiting out maxDelayMs. On 1 partition this turned
    // 20_000 forecasts from 20 batches x ~1.7 s (each waiting for the 1 s timer) into one
    // insert per fetched batch (bench/sink.bench.ts). Batches decoded together still share a flush.
    if (this.collecting === 0) for (const t of tables) void this.o.writers.get(t)?.flush().catch(() => undefined);
    const results = await Promise.allSettled(writes);
    let failure: unknown;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') done.add(tables[i] as InsertableTable);
      else failure ??= r.reason;
    });
    if (failure !== undefined) throw failure;
    log.debug({ tables: tables.length, items: items.length }, 'batch stored');
  }

  private async isolate(items: Item[], done: ReadonlySet<InsertableTable>): Promise<void> {
    for (const item of items) {
      for (const b of item.batches) {
        if (done.has(b.table)) continue;
        this.counters.isolatedInserts += 1;
        try {
          await this.o.warehouse.insert(b.table, b.rows as never[]);
        } catch (err) {
          const e = toWarehouseError(err, `insert into ${b.table}`);
          if (e.retriable) throw e;
          item.dead = { code: 'VALIDATION_FAILED', text: e.message };
          break;
        }
      }
      // Stored now (or dead): the next writeAll must not write this item's rows again.
      item.batches = [];
    }
  }

  private async deadLetter(topic: SinkTopic, items: readonly Item[], log: Logger): Promise<void> {
    const dead = items.filter((i): i is Item & { dead: NonNullable<Item['dead']> } => i.dead !== undefined);
    if (dead.length === 0) return;
    const records: DeadLetterInput[] = dead.map((i) => toDeadLetter(i.raw, { code: i.dead.code, text: i.dead.text, attempts: 1 }, this.o.service, this.clock.now()));
    if (topic === Topics.opsDeadletter) {
      // A dead letter that cannot be read would loop if dead-lettered again: store its bytes
      // straight into dead_letters (as a dead letter of the dead-letter topic) instead.
      const rows = records.map((r) => deadLetterRow({ ...r, key: r.key ?? null, value: r.value ?? null, headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value ?? null })), attempts: r.attempts ?? 1 }));
      const writer = this.o.writers.get(Tables.deadLetters);
      if (writer === undefined) throw new Error(`no writer for ${Tables.deadLetters}`);
      await writer.write(rows);
    } else {
      await this.o.producer.send(Topics.opsDeadletter, records.map((value) => ({ key: topic, value })));
    }
    this.counters.deadLettered += dead.length;
    for (const d of dead) log.warn({ offset: d.raw.offset, reasonCode: d.dead.code }, 'dead-lettered');
    for (const d of dead) delete (d as Item).dead; // acked: a retry of the batch must not send it twice
  }

  private async pause(attempt: number, heartbeat: () => Promise<void>, alive: () => boolean): Promise<boolean> {
    await heartbeat().catch(() => undefined);
    await Promise.race([this.clock.sleep(backoffMs(STORE_RETRY, attempt, this.clock.random())), this.stopped]);
    return alive();
  }
}
