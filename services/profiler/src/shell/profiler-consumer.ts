// The shell around PartitionProfiler: one kafkajs consumer on exec.event.normalized.v1 (its own
// loop rather than the kit's BatchConsumerLoop: partitions are restored from the changelog when
// assigned, which the handler must await, and a failed flush resets only its own partition).
//
// Per consumed batch: decode synchronously (ValueCodec.decodeSync; await decode() only for a
// schema id not looked up yet), fold every message, and if a tick fired take ONE checkpoint
// (changed users + the partition entry) for the whole batch; then hand forecasts, accuracy
// records, dead letters and the checkpoint to the partition's PartitionPipeline
// (tick-pipeline.ts), which makes them durable in order and commits, while this loop already
// folds the next batch. At most MAX_IN_FLIGHT flushes per partition are outstanding.
//
// Rebalances: GROUP_JOIN carries this member's assignment; partitions no longer assigned are
// dropped, new ones are restored from the changelog before their first batch is folded. A
// partition's restored state says which offset it has folded; the consumer may re-deliver older
// messages (committed offset <= checkpoint + 1) and the core skips them. A failed flush drops the
// partition's state: its next batch restores it from the changelog and seeks to the restored
// offset + 1 (everything after it is re-folded; the same forecasts come out again).
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Topics, toDeadLetter } from '@warmcast/kit';
import type { DeadLetterInput, ForecastAccuracyInput, Logger, OutgoingMessage, TopicName, TypedProducer, UserForecastInput } from '@warmcast/kit';
import { PartitionProfiler } from '../core/partition-profiler.ts';
import type { ProfilerOptions } from '../core/options.ts';
import { changelogPartitionOf, readChangelog } from './changelog-reader.ts';
import { PartitionPipeline } from './tick-pipeline.ts';
import type { FlushDone } from './tick-pipeline.ts';
import type { ModelSource } from './model-feed.ts';
import type { CombinerVersion } from '@warmcast/forecast';

/** Flushes outstanding per partition before a batch waits: bounds memory (a catch-up batch holds ~1 MB of input). */
const MAX_IN_FLIGHT = 2;
/**
 * Forecasts + accuracy records buffered before a flush within a batch: ~1.5 MB of Avro, about 9
 * ticks of 75 active users (each tick: 75 forecasts + ~150 accuracy records on the bench).
 */
const FLUSH_MESSAGES = 2_000;
/**
 * Longest synchronous fold before this loop yields a macrotask, ms. `warmcast up` runs every
 * service in this one event loop: a catch-up batch folds for seconds, and the other consumers
 * (the simulator's, the scaler's) must not stall that long.
 */
const YIELD_MS = 20;
/** Messages folded between heartbeats within a batch (a batch of 10k messages folds for ~1-3 s). */
const HEARTBEAT_EVERY = 1_000;

interface BatchOutput {
  readonly forecasts: UserForecastInput[];
  readonly accuracy: ForecastAccuracyInput[];
  readonly deadLetters: DeadLetterInput[];
  lastOffset: number;
  ticks: number;
}

/** The producer as the consumer uses it: codecs and send (a test wraps the real one to fail sends). */
export type ProfilerProducer = Pick<TypedProducer, 'codec'> & { send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> };

export interface ConsumerCounters {
  deadLetters: number;
  ticks: number;
  forecasts: number;
  accuracyRecords: number;
  changelogEntries: number;
  restores: number;
  restoredEntries: number;
  commits: number;
  /** flushes that failed (each followed by a restore of its partition) */
  flushFailures: number;
  /** wall ms spent decoding and folding (ticks, forecasts, checkpoints) on this thread: the rest of the CPU is producing */
  foldMs: number;
  /** combiner versions a partition took on time / late (from the next tick) / refused (logged), counted per partition */
  modelsApplied: number;
  modelsLate: number;
  modelsRejected: number;
}

export class ProfilerConsumer {
  private consumer: Consumer | undefined;
  private readonly profilers = new Map<number, PartitionProfiler>();
  private readonly pipelines = new Map<number, PartitionPipeline>();
  private readonly restoring = new Map<number, Promise<PartitionProfiler>>();
  /** partitions whose flush failed, being restored from the changelog before the seek back */
  private readonly recovering = new Map<number, Promise<void>>();
  private closing = false;
  private changelogPartitions = 0;
  /** counters of partitions this process no longer owns, so stats() never goes backwards */
  private readonly retired = { folded: 0, skipped: 0, late: 0, ignored: 0 };
  readonly counters: ConsumerCounters = { deadLetters: 0, ticks: 0, forecasts: 0, accuracyRecords: 0, changelogEntries: 0, restores: 0, restoredEntries: 0, commits: 0, flushFailures: 0, foldMs: 0, modelsApplied: 0, modelsLate: 0, modelsRejected: 0 };

  constructor(private readonly o: { kafka: Kafka; producer: ProfilerProducer; groupId: string; clientId: string; options: ProfilerOptions; fromBeginning: boolean; log: Logger; models?: ModelSource }) {
    o.models?.onVersion((v) => {
      for (const [p, prof] of this.profilers) this.offer(p, prof, v);
    });
  }

  /** Offers a combiner version to one partition (served-models.ts decides from which minute). */
  private offer(p: number, prof: PartitionProfiler, v: CombinerVersion): void {
    const r = prof.offerCombiner(v);
    if (r.outcome === 'applied') this.counters.modelsApplied++;
    else if (r.outcome === 'late') {
      this.counters.modelsLate++;
      this.o.log.warn({ partition: p, version: v.version, effectiveFromMinute: v.effectiveFromMinute }, 'combiner version arrived after its minute was forecast: applied from the next tick');
    } else if (r.outcome === 'rejected') {
      this.counters.modelsRejected++;
      this.o.log.error({ partition: p, version: v.version, problem: r.problem }, 'combiner version refused');
    }
  }

  async start(): Promise<void> {
    const admin = this.o.kafka.admin();
    await admin.connect();
    try {
      this.changelogPartitions = (await admin.fetchTopicOffsets(Topics.profilerStateChangelog)).length;
    } finally {
      await admin.disconnect();
    }
    const consumer = this.o.kafka.consumer({ groupId: this.o.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment((payload.memberAssignment[Topics.execEventNormalized] ?? []) as number[]));
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.execEventNormalized, fromBeginning: this.o.fromBeginning });
    // several partitions' batches at once: one can fold while another waits for its restore or
    // for its flushes (back-pressure); folding itself stays on this one thread
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 4, eachBatch: (b) => this.onBatch(b) });
  }

  /** Stops taking batches, lets every flush finish (and commit: kafkajs refuses commits once stopped), then leaves the group. */
  async close(): Promise<void> {
    this.closing = true;
    await this.drain();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Resolves when no flush is outstanding. */
  async drain(): Promise<void> {
    while ([...this.pipelines.values()].some((p) => p.inFlight > 0)) await Promise.all([...this.pipelines.values()].map((p) => p.settled()));
  }

  stats(): Record<string, number> {
    const s = { ...this.retired, users: 0 };
    for (const p of this.profilers.values()) {
      s.folded += p.counts.folded;
      s.skipped += p.counts.skipped;
      s.late += p.counts.late;
      s.ignored += p.counts.ignored;
      s.users += p.userCount;
    }
    const offsets: Record<string, number> = {};
    // the last offset whose outputs are all acked: "caught up" then means nothing is still in flight
    for (const [p, prof] of [...this.profilers].sort((a, b) => a[0] - b[0])) offsets[`lastOffset.p${p}`] = this.pipelines.get(p)?.durableOffset ?? prof.lastOffset;
    return {
      eventsFolded: s.folded, eventsSkipped: s.skipped, lateEvents: s.late, ignoredEvents: s.ignored,
      ...this.counters, usersTracked: s.users, partitionsOwned: this.profilers.size, ...offsets,
    };
  }

  private onAssignment(partitions: readonly number[]): void {
    const keep = new Set(partitions);
    for (const [p, prof] of this.profilers) {
      if (keep.has(p)) continue;
      for (const k of ['folded', 'skipped', 'late', 'ignored'] as const) this.retired[k] += prof.counts[k];
      this.profilers.delete(p);
      this.pipelines.delete(p); // its flushes finish on their own; a commit of a revoked partition fails harmlessly
      this.recovering.delete(p);
    }
    for (const p of [...this.restoring.keys()]) if (!keep.has(p)) this.restoring.delete(p);
    this.o.log.info({ partitions: [...partitions].sort((a, b) => a - b) }, 'partitions assigned');
    const fresh = partitions.filter((p) => !this.profilers.has(p) && !this.restoring.has(p));
    if (fresh.length > 0) this.restore(fresh);
  }

  /** Starts one changelog read for several partitions; each gets its own promise. */
  private restore(partitions: readonly number[]): void {
    const all = readChangelog({ kafka: this.o.kafka, producer: this.o.producer, groupPrefix: this.o.groupId, sourcePartitions: partitions, log: this.o.log });
    for (const p of partitions) {
      const one = all.then((m) => {
        // the shell checkpoints once per consumed batch (checkpoint()), not in every tick
        const prof = new PartitionProfiler(p, this.o.options, { checkpointEachTick: false });
        const entries = m.get(p)?.entries ?? [];
        prof.restore(entries);
        // after the restore: recorded versions keep their checkpointed minute
        for (const v of this.o.models?.current() ?? []) this.offer(p, prof, v);
        this.counters.restores++;
        this.counters.restoredEntries += entries.length;
        if (this.restoring.get(p) === one) {
          this.profilers.set(p, prof);
          this.pipelines.set(p, this.pipelineFor(p, prof.lastOffset));
          this.restoring.delete(p);
        }
        return prof;
      });
      one.catch(() => undefined); // observed by the batch that awaits it
      this.restoring.set(p, one);
    }
  }

  private async profilerFor(p: number): Promise<PartitionProfiler> {
    const ready = this.profilers.get(p);
    if (ready) return ready;
    if (!this.restoring.has(p)) this.restore([p]); // a batch before GROUP_JOIN was seen
    const pending = this.restoring.get(p);
    if (!pending) throw new Error(`partition ${p}: no restore started`);
    try {
      return await pending;
    } catch (err) {
      this.restoring.delete(p); // let the redelivered batch try again
      throw err;
    }
  }

  private pipelineFor(p: number, restoredOffset: number): PartitionPipeline {
    const io = {
      send: <N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> => this.o.producer.send(topic, messages),
      commit: async (partition: number, next: number): Promise<void> => {
        if (!this.consumer) throw new Error(`commit ${Topics.execEventNormalized}[${partition}]: consumer closed`);
        await this.consumer.commitOffsets([{ topic: Topics.execEventNormalized, partition, offset: String(next) }]);
        this.counters.commits++;
      },
    };
    return new PartitionPipeline(p, changelogPartitionOf(p, this.changelogPartitions), io, restoredOffset, (d) => this.onFlushed(d));
  }

  private onFlushed({ work, ticks }: FlushDone): void {
    this.counters.ticks += ticks;
    this.counters.forecasts += work.forecasts.length;
    this.counters.accuracyRecords += work.accuracy.length;
    this.counters.changelogEntries += work.checkpoint?.changelog.length ?? 0;
    this.counters.deadLetters += work.deadLetters.length;
  }

  /**
   * A failed flush: the in-memory state is ahead of what is durable. Drop it, restore the
   * partition from its changelog (everything there is durable) once every flush has settled, and
   * seek to the restored offset + 1: the same inputs are folded again and give the same outputs.
   * Done here, not on the next batch: after the last batch of a quiet partition none may come.
   */
  private onFlushFailed(p: number, pipeline: PartitionPipeline, err: unknown): void {
    if (this.pipelines.get(p) !== pipeline) return; // revoked or already reset
    this.o.log.error({ err, partition: p }, 'profiler flush failed; restoring the partition from its changelog');
    const dropped = this.profilers.get(p);
    if (dropped) for (const k of ['folded', 'skipped', 'late', 'ignored'] as const) this.retired[k] += dropped.counts[k]; // re-folded events count again: at least once
    this.profilers.delete(p);
    this.pipelines.delete(p);
    this.counters.flushFailures++;
    let recovery: Promise<void> | undefined = undefined;
    recovery = (async () => {
      await pipeline.settled();
      if (this.recovering.get(p) !== recovery) return; // revoked meanwhile
      const restored = await this.profilerFor(p);
      this.consumer?.seek({ topic: Topics.execEventNormalized, partition: p, offset: String(restored.lastOffset + 1) });
      this.recovering.delete(p);
    })();
    recovery.catch((e: unknown) => {
      this.o.log.error({ err: e, partition: p }, 'profiler partition restore failed; retried on its next batch');
      this.recovering.delete(p);
    });
    this.recovering.set(p, recovery);
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.closing || batch.messages.length === 0) return;
    const p = batch.partition;
    const recovery = this.recovering.get(p);
    if (recovery) {
      await recovery.catch(() => undefined); // then this batch is stale: the seek re-delivers from the restored offset
      return;
    }
    const prof = await this.profilerFor(p);
    const pipeline = this.pipelines.get(p);
    if (!pipeline) return; // revoked while restoring
    const codec = this.o.producer.codec(Topics.execEventNormalized);
    let w: BatchOutput = { forecasts: [], accuracy: [], deadLetters: [], lastOffset: -1, ticks: 0 };
    let n = 0;
    let t0 = performance.now();
    for (const m of batch.messages) {
      if (!isRunning() || isStale() || this.closing) break;
      const offset = Number(m.offset);
      const d = codec.decodeSync(m.value) ?? (await codec.decode(m.value));
      if (!d.ok) {
        if (d.retriable) {
          // registry unavailable: not the message's fault; kafkajs re-delivers from the last resolved offset
          this.flush(p, pipeline, prof, w);
          throw new Error(`decode ${batch.topic}[${p}]@${offset}: ${d.text}`);
        }
        // the dead letter keeps the original bytes; as it has no event time it moves no tick
        const raw = { topic: batch.topic, partition: p, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {} };
        w.deadLetters.push(toDeadLetter(raw, { code: d.code, text: d.text, attempts: 1 }, this.o.clientId, Date.now()));
        this.o.log.warn({ partition: p, offset, reason: d.code }, 'undecodable event dead-lettered');
        prof.skipOffset(offset);
      } else {
        for (const t of prof.fold(d.value, offset)) {
          w.ticks++;
          for (const f of t.forecasts) w.forecasts.push(f);
          for (const a of t.accuracy) w.accuracy.push(a);
        }
      }
      w.lastOffset = offset;
      resolveOffset(m.offset);
      if (w.forecasts.length + w.accuracy.length >= FLUSH_MESSAGES) {
        // a catch-up batch (~1 MB of input) spans ~100 ticks: flush in parts, so progress is
        // committed as it goes and a flush's outputs stay a few MB
        this.flush(p, pipeline, prof, w);
        w = { forecasts: [], accuracy: [], deadLetters: [], lastOffset: -1, ticks: 0 };
        this.counters.foldMs += performance.now() - t0;
        // yield a macrotask: kafkajs writes the flush's requests and reads acks only when this
        // loop lets go (a microtask would not); without it the sends start after the whole batch
        await new Promise<void>((r) => setImmediate(r));
        await pipeline.below(MAX_IN_FLIGHT);
        t0 = performance.now();
        if (pipeline.failure !== undefined) return;
      }
      if (++n % HEARTBEAT_EVERY === 0) await heartbeat();
      if (performance.now() - t0 > YIELD_MS) {
        this.counters.foldMs += performance.now() - t0;
        await new Promise<void>((r) => setImmediate(r));
        t0 = performance.now();
      }
    }
    this.flush(p, pipeline, prof, w);
    this.counters.foldMs += performance.now() - t0;
    await heartbeat();
    await pipeline.below(MAX_IN_FLIGHT);
  }

  private flush(p: number, pipeline: PartitionPipeline, prof: PartitionProfiler, w: BatchOutput): void {
    if (w.lastOffset < 0) return;
    // a checkpoint only when something ticked or was dead-lettered: live, about one per tick
    const checkpoint = w.ticks > 0 || w.deadLetters.length > 0 ? prof.checkpoint() : undefined;
    const { ticks, ...work } = w;
    pipeline.push({ ...work, checkpoint }, ticks).catch((err: unknown) => this.onFlushFailed(p, pipeline, err));
  }
}
