// The consumer loop (shell). Per message: decode -> handle -> decide (core/decision.ts) ->
// ack / retry / dead-letter. An offset is committed only after its handler resolved (its
// output is durable) or its dead letter was acked, so a crash re-delivers unfinished and
// uncommitted messages (at-least-once) and never skips one. A poison message is
// dead-lettered and the partition moves on.
//
// Commit floor (optional `commitHold`): an application whose output for a message is made
// durable later than its handler resolves (the aggregator publishes a window when it closes,
// ticks after the forecasts that fill it) names, per partition, the lowest offset it still
// holds; no commit reaches it. When it releases a hold it calls commitReleased() (handed over
// through hold.onRelease), which commits every partition up to its latest finished offset at
// once, so a quiet partition does not keep an old commit. Example: offsets 0-9 finished on
// partition 2, the open window's first forecast there is offset 4: the commit is 4 (re-read
// 4-9 after a crash); once that window is published the floor is null and the commit is 10.
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicName, TopicValues } from '../generated/catalogue.ts';
import { Topics } from '../generated/catalogue.ts';
import { decide, DEFAULT_RETRY } from '../core/decision.ts';
import type { AttemptOutcome, Decision, RetryPolicy } from '../core/decision.ts';
import { toDeadLetter } from '../core/dead-letter.ts';
import type { RawMessage } from '../core/dead-letter.ts';
import { isWarmcastError, isProgrammerError, isRetriable, errorMessage } from '../errors.ts';
import type { KitMetrics } from '../metrics.ts';
import type { TypedProducer } from '../producer.ts';

export interface HandlerContext {
  readonly log: Logger;
  readonly attempt: number;
  readonly raw: RawMessage;
}

export interface IncomingMessage<N extends TopicName> {
  readonly topic: N;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: TopicValues[N];
  readonly headers: KafkaMessage['headers'];
  readonly timestamp: string;
}

/**
 * Offsets the application still needs (its output for them is not durable yet). Consulted at
 * every commit, synchronously, together with metadata(), so the two describe the same moment.
 */
export interface CommitHold {
  /** Lowest offset still held on topic/partition, or null: the loop never commits past it. */
  floor(topic: string, partition: number): string | null;
  /** Stored with each commit as Kafka offset metadata (at most 4096 characters), read back after a restart. */
  metadata?(topic: string, partition: number): string | null;
  /** Called once, at construction: the function to call after releasing a hold (resolves, never rejects). */
  onRelease?(commitReleased: () => Promise<void>): void;
  /** close(): after the last message finished and before the final commit, release what can be released (publish). */
  beforeClose?(): Promise<void>;
  /** After each commit point of a partition: the offset committed now (next to read) and the last finished offset. */
  onCommitted?(topic: string, partition: number, committed: string, finished: string): void;
}

export type Handler<N extends TopicName> = (msg: IncomingMessage<N>, ctx: HandlerContext) => Promise<void>;

export interface ConsumerLoopOptions<N extends TopicName> {
  readonly consumer: Consumer;
  readonly topic: N;
  readonly producer: TypedProducer;
  readonly handler: Handler<N>;
  readonly log: Logger;
  /** Written into dead letters as the service that gave up. */
  readonly service: string;
  readonly metrics?: KitMetrics;
  readonly policy?: RetryPolicy;
  readonly fromBeginning?: boolean;
  /** Injected so tests do not sleep and time stays an argument. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void>; random(): number };
  /** Commit after this many finished messages (and always at batch end); 1 = every message. */
  readonly commitEveryMessages?: number;
  /** Test seam: runs after the handler's work is durable and before its offset can be committed. */
  readonly beforeCommit?: (partition: number, offset: string) => Promise<void>;
  /** Offsets the application holds past its handler (see the top of this file). */
  readonly commitHold?: CommitHold;
}

// One commit round trip per 100 messages instead of per message: 2000 messages on the embedded
// broker went from 563 to 5330 msg/s (bench/consumer-loop.bench.ts, 2 shared cores), and a crash
// re-processes at most 100 finished messages (plus the batch tail) per partition.
const DEFAULT_COMMIT_EVERY = 100;

const realClock = {
  now: (): number => Date.now(),
  sleep: (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms)),
  random: (): number => Math.random(),
};

export function classifyHandlerError(err: unknown): AttemptOutcome {
  if (isWarmcastError(err)) return { kind: 'failed', code: err.code, retriable: err.retriable, text: err.message };
  if (isProgrammerError(err)) return { kind: 'failed', code: 'HANDLER_FAILED', retriable: false, text: `${(err as Error).name}: ${errorMessage(err)}` };
  return isRetriable(err)
    ? { kind: 'failed', code: 'HANDLER_TRANSIENT', retriable: true, text: errorMessage(err) }
    : { kind: 'failed', code: 'HANDLER_FAILED', retriable: false, text: errorMessage(err) };
}

export class ConsumerLoop<N extends TopicName> {
  private readonly o: ConsumerLoopOptions<N>;
  private readonly policy: RetryPolicy;
  private readonly clock: NonNullable<ConsumerLoopOptions<N>['clock']>;
  private running = false;
  // Resolves on close() so a retry back-off (up to retryMaxMs, 30 s by default) does not hold up shutdown.
  private stop: () => void = () => {};
  private stopped: Promise<void> = Promise.resolve();
  /** Per partition: the offset after the last finished message, and the last committed offset (next to read). */
  private readonly done = new Map<number, bigint>();
  private readonly committed = new Map<number, bigint>();
  /** One commit request at a time, so a commitReleased() and a batch's commit never cross. */
  private committing: Promise<void> = Promise.resolve();
  private inBatch: Promise<void> = Promise.resolve();

  constructor(options: ConsumerLoopOptions<N>) {
    this.o = options;
    this.policy = options.policy ?? DEFAULT_RETRY;
    this.clock = options.clock ?? realClock;
    options.commitHold?.onRelease?.(() => this.commitReleased());
  }

  /**
   * Commits every partition up to its latest finished offset, below the hold's floor. For an
   * application that released a hold (e.g. published a window): a partition that is quiet has
   * no next batch that would commit it. A failed commit is logged, not thrown: the next commit
   * covers the same offsets.
   */
  async commitReleased(): Promise<void> {
    const partitions = [...this.done.keys()];
    try {
      await this.commitPartitions(this.o.topic, partitions);
    } catch (err) {
      this.o.log.warn({ err }, 'commit after release failed; the next commit covers it');
    }
  }

  async start(): Promise<void> {
    const { consumer, topic } = this.o;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: this.o.fromBeginning ?? true });
    // After a rebalance, forget partitions this member lost: committing their old offsets
    // would move another member's commit back. (Hand-written test fakes have no events.)
    if (typeof consumer.on === 'function' && consumer.events !== undefined) {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const mine = new Set(e.payload.memberAssignment[topic] ?? []);
        for (const p of [...this.done.keys()]) if (!mine.has(p)) { this.done.delete(p); this.committed.delete(p); }
      });
    }
    this.running = true;
    this.stopped = new Promise<void>((resolve) => { this.stop = resolve; });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /**
   * Stops fetching; an in-flight message finishes (or stops between retries) and is committed
   * only if done. With a commit hold: waits for the batch in hand, lets the application release
   * (hold.beforeClose, e.g. publish open windows) and commits what that released, while the
   * consumer is still in its group (kafkajs refuses commits once stopped).
   */
  async close(): Promise<void> {
    this.running = false;
    this.stop();
    const hold = this.o.commitHold;
    if (hold !== undefined) {
      try {
        await this.inBatch;
        await hold.beforeClose?.();
        await this.commitReleased();
      } catch (err) {
        this.o.log.warn({ err }, 'releasing held offsets at close failed; they stay uncommitted and are re-read');
      }
    }
    await this.o.consumer.disconnect();
  }

  private onBatch(payload: EachBatchPayload): Promise<void> {
    const run = this.batch(payload);
    this.inBatch = run.catch(() => {});
    return run;
  }

  /** Commits each partition's finished offsets, below the hold's floor, where that moves its commit forward. */
  private commitPartitions(topic: string, partitions: readonly number[], highWatermark?: string): Promise<void> {
    const run = this.committing.catch(() => {}).then(async () => {
      const hold = this.o.commitHold;
      const points: { topic: string; partition: number; offset: string; metadata?: string | null }[] = [];
      const finishedOf = new Map<number, bigint>();
      for (const partition of partitions) {
        const next = this.done.get(partition);
        if (next === undefined) continue;
        let target = next;
        const floor = hold?.floor(topic, partition) ?? null;
        if (floor !== null && BigInt(floor) < target) target = BigInt(floor);
        finishedOf.set(partition, next);
        const last = this.committed.get(partition);
        if (last !== undefined && target <= last) continue;
        const metadata = hold?.metadata?.(topic, partition);
        points.push({ topic, partition, offset: target.toString(), ...(metadata === undefined ? {} : { metadata }) });
      }
      if (points.length > 0) {
        await this.o.consumer.commitOffsets(points);
        for (const p of points) {
          this.committed.set(p.partition, BigInt(p.offset));
          if (highWatermark !== undefined) this.o.metrics?.consumerLag.set({ topic, partition: String(p.partition) }, Math.max(0, Number(BigInt(highWatermark) - BigInt(p.offset))));
        }
      }
      for (const [partition, next] of finishedOf) {
        const c = this.committed.get(partition);
        if (c !== undefined) hold?.onCommitted?.(topic, partition, c.toString(), (next - 1n).toString());
      }
    });
    this.committing = run;
    return run;
  }

  private async batch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const log = this.o.log.child({ topic: batch.topic, partition: batch.partition });
    const codec = this.o.producer.codec(this.o.topic);
    const every = this.o.commitEveryMessages ?? DEFAULT_COMMIT_EVERY;
    // Offsets of finished messages are committed every `every` messages, at the end of the
    // batch, before a retry back-off, and when stopping: never one whose work is not done,
    // nor one at or past the hold's floor.
    let sinceCommit = 0;
    const commit = async (): Promise<void> => {
      if (sinceCommit === 0) return;
      sinceCommit = 0;
      await this.commitPartitions(batch.topic, [batch.partition], batch.highWatermark);
    };
    for (const m of batch.messages) {
      if (!this.running || !isRunning() || isStale()) break;
      const raw: RawMessage = { topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? {} };
      const done = await this.process(raw, m, codec, log.child({ offset: m.offset }), commit);
      if (!done) break; // stopped mid-retry: this offset stays uncommitted and is re-delivered
      await this.o.beforeCommit?.(batch.partition, m.offset);
      resolveOffset(m.offset);
      this.done.set(batch.partition, BigInt(m.offset) + 1n);
      sinceCommit += 1;
      if (sinceCommit >= every) await commit();
      await heartbeat();
    }
    if (!isStale()) await commit(); // after a rebalance the partition may be someone else's
  }

  /** Returns true when the message is finished (acked or dead-lettered), false when the loop stopped first. */
  private async process(raw: RawMessage, m: KafkaMessage, codec: ReturnType<TypedProducer['codec']>, log: Logger, beforePause: () => Promise<void>): Promise<boolean> {
    const topic = this.o.topic;
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      const decoded = await codec.decode(raw.value);
      if (!decoded.ok) {
        outcome = decoded.retriable
          ? { kind: 'failed', code: 'REGISTRY_UNAVAILABLE', retriable: true, text: decoded.text }
          : { kind: 'undecodable', code: decoded.code, text: decoded.text };
      } else {
        const endTimer = this.o.metrics?.handlerSeconds.startTimer({ topic });
        try {
          await this.o.handler({ topic, partition: raw.partition, offset: raw.offset, key: raw.key === null ? null : raw.key.toString('utf8'), value: decoded.value as TopicValues[N], headers: m.headers, timestamp: m.timestamp }, { log, attempt, raw });
          outcome = { kind: 'ok' };
        } catch (err) {
          outcome = classifyHandlerError(err);
          log.warn({ err, attempt }, 'handler failed');
        } finally {
          endTimer?.();
        }
      }
      const decision: Decision = decide(outcome, attempt, this.policy, this.clock.random());
      if (decision.kind === 'ack') { this.o.metrics?.consumed.inc({ topic }); return true; }
      if (decision.kind === 'retry') {
        this.o.metrics?.retries.inc({ topic });
        log.info({ attempt, delayMs: decision.delayMs }, 'retrying');
        await beforePause(); // do not hold finished work uncommitted while this one waits
        await this.pause(decision.delayMs);
        if (!this.running) return false;
        continue;
      }
      return this.deadLetter(raw, decision, log);
    }
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([this.clock.sleep(ms), this.stopped]);
  }

  private async deadLetter(raw: RawMessage, d: Extract<Decision, { kind: 'deadletter' }>, log: Logger): Promise<boolean> {
    const record = toDeadLetter(raw, { code: d.code, text: d.text, attempts: d.attempts }, this.o.service, this.clock.now());
    // The offset is committed only once the dead letter is acked: retry the send (it is the
    // broker, not the message, that fails) until it works or the loop stops.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.producer.send(Topics.opsDeadletter, [{ key: raw.topic, value: record }]);
        this.o.metrics?.deadLettered.inc({ topic: raw.topic, reason: d.code });
        log.warn({ reasonCode: d.code, attempts: d.attempts }, 'dead-lettered');
        return true;
      } catch (err) {
        log.error({ err, attempt }, 'dead-letter send failed; offset not committed');
        if (!this.running) return false;
        await this.pause(Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(attempt, 16)));
        if (!this.running) return false;
      }
    }
  }
}
