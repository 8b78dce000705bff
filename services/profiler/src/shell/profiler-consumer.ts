// The shell around PartitionProfiler: one kafkajs consumer on exec.event.normalized.v1 (its own
// loop rather than the kit's ConsumerLoop, because offsets here are committed per TICK, after the
// tick's forecasts, accuracy records and changelog entries are acked, not per message).
//
// Rebalances: GROUP_JOIN carries this member's assignment; partitions no longer assigned are
// dropped, new ones are restored from the changelog before their first batch is folded. A
// partition's restored state says which offset it has folded; the consumer may re-deliver older
// messages (committed offset <= checkpoint + 1) and the core skips them.
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Topics, toDeadLetter } from '@warmcast/kit';
import type { Logger, TypedProducer } from '@warmcast/kit';
import { PartitionProfiler } from '../core/partition-profiler.ts';
import type { TickOutput } from '../core/partition-profiler.ts';
import type { ProfilerOptions } from '../core/options.ts';
import { changelogPartitionOf, readChangelog } from './changelog-reader.ts';

/** messages per produce request: keeps a request well under the 1 MiB default message.max.bytes */
const SEND_CHUNK = 100;

export interface ConsumerCounters {
  deadLetters: number;
  ticks: number;
  forecasts: number;
  accuracyRecords: number;
  changelogEntries: number;
  restores: number;
  restoredEntries: number;
  commits: number;
}

export class ProfilerConsumer {
  private consumer: Consumer | undefined;
  private readonly profilers = new Map<number, PartitionProfiler>();
  private readonly restoring = new Map<number, Promise<PartitionProfiler>>();
  private changelogPartitions = 0;
  /** counters of partitions this process no longer owns, so stats() never goes backwards */
  private readonly retired = { folded: 0, skipped: 0, late: 0, ignored: 0 };
  readonly counters: ConsumerCounters = { deadLetters: 0, ticks: 0, forecasts: 0, accuracyRecords: 0, changelogEntries: 0, restores: 0, restoredEntries: 0, commits: 0 };

  constructor(private readonly o: { kafka: Kafka; producer: TypedProducer; groupId: string; clientId: string; options: ProfilerOptions; fromBeginning: boolean; log: Logger }) {}

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
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (b) => this.onBatch(b) });
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
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
    for (const [p, prof] of [...this.profilers].sort((a, b) => a[0] - b[0])) offsets[`lastOffset.p${p}`] = prof.lastOffset;
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
        const prof = new PartitionProfiler(p, this.o.options);
        const entries = m.get(p)?.entries ?? [];
        prof.restore(entries);
        this.counters.restores++;
        this.counters.restoredEntries += entries.length;
        if (this.restoring.get(p) === one) {
          this.profilers.set(p, prof);
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

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const prof = await this.profilerFor(batch.partition);
    const codec = this.o.producer.codec(Topics.execEventNormalized);
    const log = this.o.log.child({ partition: batch.partition });
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) return;
      const offset = Number(m.offset);
      const d = await codec.decode(m.value);
      if (!d.ok) {
        if (d.retriable) throw new Error(`decode ${batch.topic}[${batch.partition}]@${offset}: ${d.text}`); // redelivered by kafkajs
        // the dead letter keeps the original bytes; as it has no event time it moves no tick
        const raw = { topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {} };
        await this.o.producer.send(Topics.opsDeadletter, [{ key: batch.topic, value: toDeadLetter(raw, { code: d.code, text: d.text, attempts: 1 }, this.o.clientId, Date.now()) }]);
        this.counters.deadLetters++;
        log.warn({ offset, reason: d.code }, 'undecodable event dead-lettered');
        prof.skipOffset(offset);
      } else {
        for (const t of prof.fold(d.value, offset)) await this.makeDurable(batch.partition, t);
      }
      resolveOffset(m.offset);
      await heartbeat();
    }
  }

  private async makeDurable(partition: number, t: TickOutput): Promise<void> {
    const { producer } = this.o;
    // forecasts and accuracy in parallel; the changelog only after both are acked: a changelog
    // entry says "this user's tick T is done", so its forecasts must already be durable
    const sends: Promise<void>[] = [];
    for (let i = 0; i < t.forecasts.length; i += SEND_CHUNK) {
      sends.push(producer.send(Topics.forecastUserPublished, t.forecasts.slice(i, i + SEND_CHUNK).map((f) => ({ key: f.userKey, value: f }))));
    }
    for (let i = 0; i < t.accuracy.length; i += SEND_CHUNK) {
      sends.push(producer.send(Topics.forecastAccuracyScored, t.accuracy.slice(i, i + SEND_CHUNK).map((a) => ({ key: a.userKey, value: a }))));
    }
    await Promise.all(sends);
    const logPartition = changelogPartitionOf(partition, this.changelogPartitions);
    // user entries first, the partition entry last (a crash in between is handled by the core)
    for (let i = 0; i < t.changelog.length; i += SEND_CHUNK) {
      await producer.send(Topics.profilerStateChangelog, t.changelog.slice(i, i + SEND_CHUNK).map((c) => ({ key: c.userKey, value: c, partition: logPartition })));
    }
    await this.consumer?.commitOffsets([{ topic: Topics.execEventNormalized, partition, offset: String(t.sourceOffset + 1) }]);
    this.counters.ticks++;
    this.counters.forecasts += t.forecasts.length;
    this.counters.accuracyRecords += t.accuracy.length;
    this.counters.changelogEntries += t.changelog.length;
    this.counters.commits++;
  }
}
