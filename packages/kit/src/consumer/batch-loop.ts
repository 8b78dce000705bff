// A pipelined batch consumer loop for high-rate services (ingest: 100k msg/s), next to the
// per-message ConsumerLoop (which awaits each handler: ~5k msg/s here).
//
// Per fetched topic-partition batch (kafkajs eachBatch): decode every value (the topic's
// ValueCodec), hand the decoded batch to the handler, which does its pure work at once and
// returns { durable, commit }: a promise that settles when the batch's output is stored /
// forwarded, and the offsets that may be committed once it has. The loop does NOT wait for
// `durable` before fetching on (that would cost one ClickHouse + one produce round trip per
// partition batch); it keeps a FIFO of outcomes and commits an outcome's offsets only when it
// and every outcome before it are durable. So a crash re-delivers whatever was not durable,
// and the handler may hold offsets back (e.g. events waiting for their pair) by passing a
// lower commit offset than the batch end.
//
// Undecodable values (bad framing, unknown schema id, broken Avro) are dead-lettered by the
// loop as part of the batch's durable work and never reach the handler. So are whole record
// batches the consumer could not decode (corrupt compressed stream, unknown codec; only
// @warmcast/lean-client reports those, through eachUndecodableBatch): one dead letter with the
// batch's bytes as value, its base offset as sourceOffset, the offset range and cause as reason.
//
// When durable work fails (after the sink's own retries), the loop cannot skip it: it stops
// fetching, calls onReset (the handler drops its in-memory state), and rejoins from the last
// committed offsets, after a back-off. The failing output is re-done from re-delivered input.
import type { Logger } from 'pino';
import type { TopicName, TopicValues } from '../generated/catalogue.ts';
import { Topics } from '../generated/catalogue.ts';
import { toDeadLetter } from '../core/dead-letter.ts';
import type { RawMessage } from '../core/dead-letter.ts';
import type { DeadLetterInput } from '../generated/types.ts';
import type { TypedProducer } from '../producer.ts';
import type { KitMetrics } from '../metrics.ts';

/** One decoded message with its origin; built on demand by DecodedBatch.message(i) (not on the hot path). */
export interface DecodedMessage<V> {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: V;
  readonly timestamp: string;
  readonly raw: RawMessage;
}

/**
 * A fetched topic-partition batch, decoded. Flat on purpose: at 100k msg/s two wrapper objects
 * per message (a RawMessage and a DecodedMessage, the loop's 3.1 % of ingest's profile plus
 * their share of GC) cost more than the handler's own work on some events, and `raw` is only
 * read for the rare dead letter. So values and offsets are parallel arrays, and the original
 * message is reachable by index.
 */
export interface DecodedBatch<N extends TopicName = TopicName> {
  readonly topic: N;
  readonly partition: number;
  /** Decoded values in offset order; undecodable messages are left out (the loop dead-letters them). */
  readonly values: readonly TopicValues[N][];
  /** offsets[i] is values[i]'s offset (exact as a double below 2^53). */
  readonly offsets: readonly number[];
  /** Offset after the last message of the batch (decoded or not): where the next fetch starts. */
  readonly nextOffset: string;
  readonly highWatermark: string;
  /** values[i]'s message as fetched (bytes, key, headers, offset): what a dead letter carries. */
  raw(i: number): RawMessage;
  /** values[i] with its key, timestamp and raw message (allocates; for tests and rare paths). */
  message(i: number): DecodedMessage<TopicValues[N]>;
}

export interface CommitPoint { readonly topic: string; readonly partition: number; /** next offset to read */ readonly offset: string }

export interface BatchOutcome {
  /** Settles when the batch's output is durable; a rejection triggers a reset (see above). */
  readonly durable: Promise<void>;
  /** Offsets to commit once durable; default: this batch's nextOffset. */
  readonly commit?: readonly CommitPoint[];
}

export type BatchHandler = (batch: DecodedBatch) => BatchOutcome;

/** A fetched message, as kafkajs (KafkaMessage) and @warmcast/lean-client (LeanMessage) give it. */
export interface LoopMessage {
  readonly offset: string;
  readonly key?: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly headers?: RawMessage['headers'];
}

/**
 * A fetched record batch the consumer could not decode, as @warmcast/lean-client hands it over
 * (kafkajs has no such call: it never produces one). Offsets are decimal strings.
 */
export interface LoopUndecodablePayload {
  readonly batch: { readonly topic: string; readonly partition: number; readonly baseOffset: string; readonly lastOffset: string; readonly bytes: Buffer; readonly reason: string };
  /** Resolving batch.lastOffset moves the consumer past the batch. */
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

/** The eachBatch payload fields the loop reads (a subset of kafkajs's EachBatchPayload). */
export interface LoopBatchPayload {
  readonly batch: { readonly topic: string; readonly partition: number; readonly highWatermark: string; readonly messages: readonly LoopMessage[] };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

/**
 * The part of kafkajs's Consumer the loop uses, so it runs on kafkajs or on
 * @warmcast/lean-client's LeanConsumer (both satisfy it structurally).
 * pre: run() resolves once consuming started; after stop(), run() again re-reads committed offsets.
 */
export interface LoopConsumer {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(config: {
    autoCommit: false; eachBatchAutoResolve: false; eachBatch: (payload: LoopBatchPayload) => Promise<void>;
    /** Read by @warmcast/lean-client only; kafkajs ignores the key. */
    eachUndecodableBatch?: (payload: LoopUndecodablePayload) => Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  stop(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface BatchConsumerLoopOptions {
  readonly consumer: LoopConsumer;
  readonly topics: readonly TopicName[];
  /** Codecs for decoding, and the dead-letter producer. */
  readonly producer: TypedProducer;
  readonly handler: BatchHandler;
  readonly log: Logger;
  readonly service: string;
  readonly metrics?: KitMetrics;
  readonly fromBeginning?: boolean;
  /** Outcomes not yet durable before eachBatch waits for the oldest (back-pressure). Default 8. */
  readonly maxInFlight?: number;
  /** Called after a durable failure, before re-joining from committed offsets: drop in-memory state. */
  readonly onReset?: () => void;
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
  /** Test seam: runs after an outcome is durable and before its offsets are committed. */
  readonly beforeCommit?: (points: readonly CommitPoint[]) => Promise<void>;
}

interface InFlight {
  readonly commit: readonly CommitPoint[];
  done: boolean;
  failed: unknown;
  readonly settled: Promise<void>;
}

function rawOf(topic: string, partition: number, m: LoopMessage): RawMessage {
  return { topic, partition, offset: m.offset, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? {} };
}

const realClock = { now: (): number => Date.now(), sleep: (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms)) };

export class BatchConsumerLoop {
  private readonly o: BatchConsumerLoopOptions;
  private readonly clock: NonNullable<BatchConsumerLoopOptions['clock']>;
  private queue: InFlight[] = [];
  private committing: Promise<void> = Promise.resolve();
  private running = false;
  private resetting = false;
  private generation = 0;
  private resets = 0;
  private readonly committed = new Map<string, bigint>();
  /** Per topic-partition: the end of the last batch handed over and the offset its outcome may
   *  commit there (lower when the handler holds offsets back; undefined when it named none). */
  private readonly handed = new Map<string, { next: bigint; commit: bigint | undefined }>();
  counts = { batches: 0, messages: 0, undecodable: 0, undecodableBatches: 0, commits: 0, resets: 0 };

  constructor(options: BatchConsumerLoopOptions) {
    this.o = options;
    this.clock = options.clock ?? realClock;
  }

  async start(): Promise<void> {
    const { consumer } = this.o;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.o.topics], fromBeginning: this.o.fromBeginning ?? true });
    this.running = true;
    await this.run();
  }

  private async run(): Promise<void> {
    await this.o.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.onBatch(p), eachUndecodableBatch: (p) => this.onUndecodableBatch(p) });
  }

  /**
   * Stops taking batches, waits for in-flight outcomes, commits what became durable, then
   * leaves the group. The drain runs before consumer.stop(): kafkajs refuses commitOffsets
   * once stopped (no consumer group), so stopping first would lose the final commit.
   */
  async close(): Promise<void> {
    this.running = false;
    try {
      await this.drain();
    } finally {
      await this.o.consumer.disconnect();
    }
  }

  /** Waits until every handed-out outcome settled and its offsets (if durable) are committed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head === undefined) break;
      await head.settled;
      await this.commitReady();
      if (head.failed !== undefined) break;
    }
    await this.committing;
  }

  private async onBatch(payload: LoopBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    if (!this.running || this.resetting || !isRunning() || isStale() || batch.messages.length === 0) return;
    const topic = batch.topic as TopicName;
    const codec = this.o.producer.codec(topic);
    const fetched = batch.messages;
    const values: unknown[] = [];
    const offsets: number[] = [];
    /** Index into `fetched` of values[i]; null while every message decoded (then it is i). */
    let at: number[] | null = null;
    let dead: DeadLetterInput[] | null = null;
    for (let i = 0; i < fetched.length; i++) {
      const m = fetched[i]!;
      const value = m.value ?? null;
      // Synchronous once the writer schema id is known (every message but the first per id):
      // no promise per message. decode() only for an id not looked up yet.
      const d = codec.decodeSync(value) ?? await codec.decode(value);
      if (d.ok) {
        values.push(d.value);
        offsets.push(Number(m.offset));
        at?.push(i);
      } else if (d.retriable) {
        throw new Error(`registry unavailable while decoding ${batch.topic}/${batch.partition}@${m.offset}: ${d.text}`); // kafkajs re-fetches the batch after its retry back-off
      } else {
        if (at === null) at = Array.from({ length: values.length }, (_, k) => k);
        (dead ??= []).push(toDeadLetter(rawOf(batch.topic, batch.partition, m), { code: d.code, text: d.text, attempts: 1 }, this.o.service, this.clock.now()));
      }
    }
    const last = fetched[fetched.length - 1];
    if (last === undefined) return;
    const nextOffset = (BigInt(last.offset) + 1n).toString();
    this.counts.batches += 1;
    this.counts.messages += fetched.length;
    this.counts.undecodable += dead?.length ?? 0;
    const source = at;
    const indexOf = (i: number): number => {
      const k = source === null ? i : source[i];
      if (k === undefined || k >= fetched.length || i >= values.length) throw new RangeError(`no decoded message ${i} in ${batch.topic}/${batch.partition} (${values.length} decoded)`);
      return k;
    };
    const decoded: DecodedBatch = {
      topic, partition: batch.partition, values: values as TopicValues[TopicName][], offsets, nextOffset, highWatermark: batch.highWatermark,
      raw: (i) => rawOf(batch.topic, batch.partition, fetched[indexOf(i)]!),
      message: (i) => {
        const m = fetched[indexOf(i)]!;
        return { offset: m.offset, key: m.key ?? null, value: values[i] as TopicValues[TopicName], timestamp: m.timestamp, raw: rawOf(batch.topic, batch.partition, m) };
      },
    };
    const outcome = this.o.handler(decoded);
    const durable = dead === null ? outcome.durable : Promise.all([outcome.durable, this.sendDeadLetters(dead, batch.topic)]).then(() => undefined);
    const commit = outcome.commit ?? [{ topic: batch.topic, partition: batch.partition, offset: nextOffset }];
    const here = commit.find((p) => p.topic === batch.topic && p.partition === batch.partition);
    this.handed.set(`${batch.topic}\u0000${batch.partition}`, { next: BigInt(nextOffset), commit: here === undefined ? undefined : BigInt(here.offset) });
    this.track(durable, commit);
    resolveOffset(last.offset);
    await heartbeat();
    await this.backPressure();
  }

  /**
   * A record batch the consumer could not decode: dead-lettered whole (value = its bytes) as
   * durable work in the same FIFO as the handler's outcomes, and committed past once durable,
   * unless the handler is holding offsets back on that partition (its last outcome there
   * committed less than its batch end): then the batch commits nothing of its own, and the
   * handler's next commit past the hold covers it (a restart before that dead-letters it again).
   */
  private async onUndecodableBatch(payload: LoopUndecodablePayload): Promise<void> {
    const { batch, isRunning, isStale, resolveOffset } = payload;
    if (!this.running || this.resetting || !isRunning() || isStale()) return;
    const k = `${batch.topic}\u0000${batch.partition}`;
    const next = BigInt(batch.lastOffset) + 1n;
    const h = this.handed.get(k);
    const free = h === undefined || h.commit === h.next;
    this.handed.set(k, { next, commit: free ? next : h.commit });
    // A copy: the consumer's bytes are a view of its whole Fetch response.
    const raw: RawMessage = { topic: batch.topic, partition: batch.partition, offset: batch.baseOffset, key: null, value: Buffer.from(batch.bytes), headers: {} };
    const text = `undecodable record batch, offsets ${batch.baseOffset}..${batch.lastOffset} (value: the batch as fetched): ${batch.reason}`;
    const dead = toDeadLetter(raw, { code: 'DECODE_FAILED', text, attempts: 1 }, this.o.service, this.clock.now());
    this.counts.undecodableBatches += 1;
    this.o.log.warn({ topic: batch.topic, partition: batch.partition, baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, reason: batch.reason }, 'undecodable record batch dead-lettered');
    this.track(this.sendDeadLetters([dead], batch.topic), free ? [{ topic: batch.topic, partition: batch.partition, offset: next.toString() }] : []);
    resolveOffset(batch.lastOffset);
    await this.backPressure();
  }

  /** Waits while more than maxInFlight outcomes are not durable yet. */
  private async backPressure(): Promise<void> {
    const max = this.o.maxInFlight ?? 8;
    while (this.queue.length > max && this.running) {
      const head = this.queue[0];
      if (head === undefined) break;
      await head.settled;
      await this.commitReady();
      if (head.failed !== undefined) break;
    }
  }

  /** Dead letters, as data; resolves when the broker acked them (part of a batch's durable work). */
  async sendDeadLetters(records: readonly DeadLetterInput[], sourceTopic: string): Promise<void> {
    if (records.length === 0) return;
    await this.o.producer.send(Topics.opsDeadletter, records.map((value) => ({ key: value.sourceTopic, value })));
    for (const r of records) this.o.metrics?.deadLettered.inc({ topic: sourceTopic, reason: r.reasonCode });
  }

  private track(durable: Promise<void>, commit: readonly CommitPoint[]): void {
    const generation = this.generation;
    const entry: InFlight = {
      commit, done: false, failed: undefined,
      settled: durable.then(
        () => { entry.done = true; },
        (err: unknown) => { entry.failed = err ?? new Error('durable work failed'); },
      ).then(() => { if (generation === this.generation) void this.commitReady().catch((err: unknown) => this.o.log.error({ err }, 'commit failed')); }),
    };
    this.queue.push(entry);
  }

  /** Commits the offsets of the durable prefix of the queue (one commit request in flight at a time). */
  private commitReady(): Promise<void> {
    // A failed commit must not block later ones: their snapshots cover its offsets too.
    this.committing = this.committing.catch(() => undefined).then(async () => {
      const points = new Map<string, CommitPoint>();
      while (this.queue.length > 0) {
        const head = this.queue[0];
        if (head === undefined || !head.done) break;
        this.queue.shift();
        for (const p of head.commit) points.set(`${p.topic}\u0000${p.partition}`, p);
      }
      const failed = this.queue[0]?.failed;
      const fresh = [...points.entries()].filter(([k, p]) => BigInt(p.offset) > (this.committed.get(k) ?? -1n));
      if (fresh.length > 0) {
        const list = fresh.map(([, p]) => p);
        await this.o.beforeCommit?.(list);
        await this.o.consumer.commitOffsets(list.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })));
        for (const [k, p] of fresh) this.committed.set(k, BigInt(p.offset));
        this.counts.commits += 1;
      }
      if (failed !== undefined && !this.resetting) void this.reset(failed);
    });
    return this.committing;
  }

  // Durable work failed: nothing after it may be committed. Rejoin from the committed offsets
  // (the broker re-delivers everything not durable) with a clean handler state.
  private async reset(err: unknown): Promise<void> {
    this.resetting = true;
    this.resets += 1;
    this.counts.resets += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.resets - 1, 6));
    this.o.log.error({ err, delayMs: delay }, 'durable work failed; re-consuming from committed offsets');
    this.generation += 1;
    this.queue = [];
    this.handed.clear();
    try {
      await this.o.consumer.stop();
      this.o.onReset?.();
      await this.clock.sleep(delay);
      if (!this.running) return;
      // kafkajs re-reads committed offsets when the consumer runs again after stop().
      this.committed.clear();
      this.resetting = false;
      await this.run();
    } catch (e) {
      this.o.log.error({ err: e }, 'reset failed');
    } finally {
      this.resetting = false;
    }
  }
}
