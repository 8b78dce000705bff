// LeanProducer: Produce v7 (Kafka 0.11 .. 4.x and the embedded broker), acks=all, one socket per
// partition leader, each partition's records built into exactly-sized record batches
// (core/record-batch.ts). kafkajs encodes every record through JS objects, Long arithmetic and a
// per-record CRC pass; the profiler's CPU profile put most of its remaining time there at ~10
// output records per input event. Default partitioner: Kafka's murmur2 (core/partitioner.ts), so
// records land where kafkajs/Java would put them; an explicit partition is honoured.
//
// Not idempotent (no producer id): a retried partition may duplicate records (at-least-once).
// Order: sends to one topic run one after another (a chain per topic), so per-key order holds
// even across retries; different topics share sockets and may interleave.
import { ApiKey } from '@warmcast/kafka-protocol';
import type { ProduceResponse } from '@warmcast/kafka-protocol';
import { Cluster } from './cluster.ts';
import type { Layout } from './cluster.ts';
import { LeanClientError } from './errors.ts';
import { KeyCache, murmur2 } from './core/partitioner.ts';
import { encodePlainBatch } from './core/record-batch.ts';
import type { PlainRecord } from './core/record-batch.ts';
import { silentLogger } from './types.ts';
import type { LeanLogger } from './types.ts';

const PRODUCE_VERSION = 7;
/** Below the broker's default message.max.bytes (1 MB) with room for request headers. */
export const MAX_BATCH_BYTES = 900 * 1024;
/** Kafka codes a metadata refresh can cure: unknown topic/partition (3), leader not available (5), not leader (6), timed out (7), not enough replicas (19, 20). */
const RETRIABLE_PRODUCE_CODES = new Set([3, 5, 6, 7, 19, 20]);

export interface ProducerRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer;
  /** Explicit partition; without it murmur2(key) (keyless records go to partition 0). */
  readonly partition?: number;
  /** Epoch ms; default the time of send(). */
  readonly timestamp?: number;
}

export interface LeanProducerOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly log?: LeanLogger;
  /** Produce timeout (ms) the broker waits for acks=all. */
  readonly timeoutMs?: number;
  /** Attempts per send before PRODUCE_FAILED (metadata refreshed between attempts). Default 5. */
  readonly attempts?: number;
  /** First back-off (ms) between attempts, doubling. Default 100. */
  readonly retryBackoffMs?: number;
  /** Bytes per record batch (estimate), default MAX_BATCH_BYTES. */
  readonly maxBatchBytes?: number;
}

interface Pending { readonly partition: number; readonly records: PlainRecord[] }

export class LeanProducer {
  /** Records acked so far. */
  sent = 0;
  private readonly cluster: Cluster;
  private readonly keys = new KeyCache();
  private readonly log: LeanLogger;
  private layout: Layout | undefined;
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly o: LeanProducerOptions) {
    this.cluster = new Cluster(o.brokers, o.clientId);
    this.log = o.log ?? silentLogger;
  }

  /** Fetches the topics' leaders up front (optional: send does it on first use). */
  async connect(topics: readonly string[] = []): Promise<void> {
    if (topics.length > 0) this.layout = await this.cluster.layout(topics);
  }

  /** Resolves once every record is acked by all in-sync replicas. */
  send(topic: string, records: readonly ProducerRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new LeanClientError('NOT_RUNNING', `send to ${topic}: producer closed`));
    if (records.length === 0) return Promise.resolve();
    const now = Date.now();
    // Key bytes and timestamps now, in call order; partitions once the layout is known.
    const plain = records.map((r) => {
      const k = r.key === null ? null : typeof r.key === 'string' ? this.keys.get(r.key) : { bytes: r.key, hash: murmur2(r.key) & 0x7fffffff };
      return { rec: { key: k?.bytes ?? null, value: r.value, timestamp: r.timestamp ?? now }, hash: k?.hash ?? 0, partition: r.partition };
    });
    const prev = this.chains.get(topic) ?? Promise.resolve();
    const run = prev.then(() => this.sendWithRetry(topic, plain));
    const settled = run.catch(() => undefined);
    this.chains.set(topic, settled);
    void settled.then(() => { if (this.chains.get(topic) === settled) this.chains.delete(topic); });
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.chains.values());
    this.cluster.reset(true);
  }

  private async sendWithRetry(topic: string, plain: { rec: PlainRecord; hash: number; partition: number | undefined }[]): Promise<void> {
    const attempts = this.o.attempts ?? 5;
    let pending: Pending[] | undefined;
    let lastErr: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const layout = this.layout?.leaders.has(topic) === true ? this.layout : await this.refresh(topic);
        const leaders = layout.leaders.get(topic)!;
        pending ??= this.split(topic, plain, leaders.size);
        pending = await this.sendRound(topic, layout, pending);
        if (pending.length === 0) { this.sent += plain.length; return; }
        lastErr = new LeanClientError('CONNECTION_FAILED', `${pending.length} partition batches of ${topic} not acked (leader moved?)`);
      } catch (err) {
        if (err instanceof LeanClientError && !err.retriable && err.code !== 'UNKNOWN_TOPIC') throw err;
        lastErr = err;
      }
      if (attempt === attempts) break;
      this.log.warn({ topic, attempt, err: String(lastErr) }, 'lean produce: refreshing metadata and retrying');
      this.cluster.reset();
      await new Promise((r) => setTimeout(r, (this.o.retryBackoffMs ?? 100) * 2 ** (attempt - 1)));
      await this.refresh(topic).catch(() => undefined);
    }
    throw new LeanClientError('PRODUCE_FAILED', `send ${plain.length} records to ${topic}: not acked after ${attempts} attempts: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`, { cause: lastErr });
  }

  private async refresh(topic: string): Promise<Layout> {
    const topics = new Set([...(this.layout?.leaders.keys() ?? []), topic]);
    this.layout = await this.cluster.layout([...topics]);
    return this.layout;
  }

  /** Records per partition, each partition's list cut into batches of <= maxBatchBytes. */
  private split(topic: string, plain: { rec: PlainRecord; hash: number; partition: number | undefined }[], partitions: number): Pending[] {
    if (partitions === 0) throw new LeanClientError('UNKNOWN_TOPIC', `topic ${topic} has no partitions`);
    const byPartition = new Map<number, PlainRecord[]>();
    for (const p of plain) {
      const part = p.partition ?? p.hash % partitions;
      if (part < 0 || part >= partitions) throw new LeanClientError('PRODUCE_FAILED', `partition ${part} of ${topic}: the topic has ${partitions}`, { retriable: false });
      let list = byPartition.get(part);
      if (list === undefined) { list = []; byPartition.set(part, list); }
      list.push(p.rec);
    }
    const max = this.o.maxBatchBytes ?? MAX_BATCH_BYTES;
    const out: Pending[] = [];
    for (const [partition, list] of byPartition) {
      let cur: PlainRecord[] = [];
      let bytes = 0;
      for (const r of list) {
        const size = r.value.length + (r.key?.length ?? 0) + 20;
        if (cur.length > 0 && bytes + size > max) { out.push({ partition, records: cur }); cur = []; bytes = 0; }
        cur.push(r);
        bytes += size;
      }
      if (cur.length > 0) out.push({ partition, records: cur });
    }
    return out;
  }

  /**
   * One pass: per leader, rounds of at most one batch per partition (Kafka takes one entry per
   * partition per request; a partition's batches stay in order). Returns what is still pending:
   * the failed batch of a partition and its later ones. Non-retriable Kafka codes throw.
   */
  private async sendRound(topic: string, layout: Layout, pending: Pending[]): Promise<Pending[]> {
    const leaders = layout.leaders.get(topic)!;
    const byLeader = new Map<number, Pending[]>();
    for (const p of pending) {
      const leader = leaders.get(p.partition);
      if (leader === undefined || leader < 0) throw new LeanClientError('CONNECTION_FAILED', `no leader for ${topic}/${p.partition}`);
      let list = byLeader.get(leader);
      if (list === undefined) { list = []; byLeader.set(leader, list); }
      list.push(p);
    }
    const left: Pending[] = [];
    await Promise.all([...byLeader].map(async ([leader, parts]) => {
      const failed = new Set<number>();
      const acked = new Set<Pending>();
      try {
        const conn = await this.cluster.node(layout, leader, 'fetch');
        for (const round of rounds(parts)) {
          const live = round.filter((p) => !failed.has(p.partition));
          if (live.length === 0) continue;
          const res = await conn.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, {
            transactionalId: null, acks: -1, timeoutMs: this.o.timeoutMs ?? 30_000,
            topicData: [{ name: topic, partitionData: live.map((p) => ({ index: p.partition, records: encodePlainBatch(p.records) })) }],
          });
          for (const t of res.responses) for (const pr of t.partitionResponses) {
            if (pr.errorCode === 0) continue;
            if (!RETRIABLE_PRODUCE_CODES.has(pr.errorCode)) throw new LeanClientError('PRODUCE_FAILED', `produce ${topic}/${pr.index}: Kafka error ${pr.errorCode}`, { retriable: false, kafkaCode: pr.errorCode });
            failed.add(pr.index);
          }
          for (const p of live) if (!failed.has(p.partition)) acked.add(p);
        }
      } catch (err) {
        if (err instanceof LeanClientError && !err.retriable) throw err;
        // Socket lost mid-way: the unanswered batches are retried (they may have been written: at-least-once).
        this.log.debug({ leader, err: String(err) }, 'lean produce: leader connection failed');
      }
      for (const p of parts) if (!acked.has(p)) left.push(p);
    }));
    return left;
  }
}

function rounds(parts: Pending[]): Pending[][] {
  const out: Pending[][] = [];
  for (const p of parts) {
    const round = out.find((r) => !r.some((x) => x.partition === p.partition));
    if (round === undefined) out.push([p]); else round.push(p);
  }
  return out;
}
