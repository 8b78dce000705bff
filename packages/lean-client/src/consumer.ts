// LeanConsumer: a Kafka group consumer on @warmcast/kafka-protocol with kafkajs's shape
// (connect, subscribe, run({ eachBatch }), commitOffsets, stop, disconnect), for the kit's
// BatchConsumerLoop. Manual commits only; eachBatch calls are sequential, one per partition
// batch, in the order of the Fetch response.
//
// Fetch v11 (kafkajs and librdkafka send v11; packages/broker serves 4-11): one request per
// partition leader, minBytes 1, maxWaitMs, partitionMaxBytes, no fetch sessions. ListOffsets v3
// for a partition without a committed offset (earliest with fromBeginning, else latest).
import { ApiKey, ErrorCode, forEachBatch } from '@warmcast/kafka-protocol';
import type { Decompressors, FetchResponse, ListOffsetsResponse } from '@warmcast/kafka-protocol';
import { Cluster } from './cluster.ts';
import type { Layout } from './cluster.ts';
import { allDecompressors } from './codecs.ts';
import { coPartitionedAssigner } from './core/assignment.ts';
import type { Assigner, TopicPartitions } from './core/assignment.ts';
import { decodeRecordSet } from './core/records.ts';
import type { DecodeOptions, LeanMessage, UndecodableBatch } from './core/records.ts';
import { LeanClientError, isRetriable } from './errors.ts';
import { Group } from './group.ts';
import { silentLogger } from './types.ts';
import type { LeanBatchPayload, LeanLogger, LeanRunConfig } from './types.ts';

const FETCH_VERSION = 11;
const LIST_OFFSETS_VERSION = 3;

export interface LeanConsumerOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  /** Offered in order; the group picks one all members share. Default [coPartitionedAssigner]. */
  readonly assigners?: readonly Assigner[];
  readonly sessionTimeoutMs?: number;
  readonly rebalanceTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly maxWaitMs?: number;
  readonly maxBytesPerPartition?: number;
  readonly maxBytes?: number;
  /** Send the next Fetch while the current one's batches are delivered (default true). */
  readonly prefetch?: boolean;
  /** Back-off after a retriable failure: initialRetryMs doubling up to maxRetryMs. */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Verify each fetched batch's CRC-32C (Java's check.crcs; default false, as kafkajs). */
  readonly checkCrcs?: boolean;
  /** By codec id; default every Kafka codec (src/codecs.ts). */
  readonly decompressors?: Decompressors;
  readonly log?: LeanLogger;
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function samePositions(a: ReadonlyMap<string, bigint>, b: ReadonlyMap<string, bigint>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export class LeanConsumer {
  private readonly o: Required<Omit<LeanConsumerOptions, 'log' | 'assigners' | 'checkCrcs' | 'decompressors'>> & { log: LeanLogger; assigners: readonly Assigner[] };
  private readonly decoding: DecodeOptions;
  private readonly cluster: Cluster;
  private readonly group: Group;
  private topics: string[] = [];
  private fromBeginning = false;
  private connected = false;
  private running = false;
  private loop: Promise<void> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating = false;
  /** Bumped on every (re)join: a batch fetched under an older one is stale. */
  private epoch = 0;
  private rejoinNeeded = true;
  private assignment: TopicPartitions = {};
  private layout: Layout | undefined;
  /** Next offset to fetch per partition of the current assignment. */
  private positions = new Map<string, bigint>();
  private wake: (() => void) | undefined;
  /** The next round's Fetch, sent while the current round is delivered (see fetchOnce). */
  private prefetched: { epoch: number; positions: ReadonlyMap<string, bigint>; responses: Promise<FetchResponse[]> } | undefined;
  counts = { fetches: 0, prefetchesUsed: 0, batches: 0, messages: 0, undecodable: 0, rejoins: 0, errors: 0 };
  /** The latest failure of the fetch loop (it retries with back-off; a non-retriable one, e.g.
   *  UNDECODABLE_BATCH without eachUndecodableBatch, repeats until the operator acts, as kafkajs's
   *  crash-restart would). */
  lastError: unknown;

  constructor(options: LeanConsumerOptions) {
    this.o = {
      sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000, maxWaitMs: 500,
      maxBytesPerPartition: 1024 * 1024, maxBytes: 32 * 1024 * 1024, prefetch: true, initialRetryMs: 50, maxRetryMs: 2_000,
      ...options, log: options.log ?? silentLogger, assigners: options.assigners ?? [coPartitionedAssigner],
    };
    this.decoding = { decompressors: options.decompressors ?? allDecompressors, checkCrcs: options.checkCrcs ?? false };
    this.cluster = new Cluster(options.brokers, options.clientId);
    this.group = new Group(this.cluster, { groupId: options.groupId, sessionTimeoutMs: this.o.sessionTimeoutMs, rebalanceTimeoutMs: this.o.rebalanceTimeoutMs, assigners: this.o.assigners });
  }

  get memberId(): string { return this.group.memberId; }
  /** The partitions this member owns in its current generation. */
  currentAssignment(): TopicPartitions { return this.assignment; }

  async connect(): Promise<void> {
    await this.retrying('connect', () => this.cluster.layout([]));
    this.connected = true;
  }

  async subscribe(s: { topics: readonly string[]; fromBeginning?: boolean }): Promise<void> {
    this.requireConnected();
    this.layout = await this.retrying('subscribe', () => this.cluster.layout(s.topics));
    this.topics = [...new Set([...this.topics, ...s.topics])];
    this.fromBeginning = s.fromBeginning ?? false;
  }

  /** Joins the group, then fetches in the background until stop(). Resolves after the first join. */
  async run(config: LeanRunConfig): Promise<void> {
    this.requireConnected();
    if (this.running) throw new LeanClientError('NOT_RUNNING', 'run() called while running; stop() first', { retriable: false });
    this.running = true;
    this.rejoinNeeded = true;
    this.positions = new Map(); // a new run starts from the committed offsets, as kafkajs does
    this.prefetched = undefined;
    try {
      await this.retrying('join', () => this.rejoin());
    } catch (err) {
      this.running = false;
      throw err;
    }
    this.heartbeatTimer = setInterval(() => { void this.beat(); }, this.o.heartbeatIntervalMs);
    this.loop = this.fetchLoop(config).catch((err: unknown) => { this.o.log.error({ err }, 'lean consumer loop stopped'); });
  }

  async commitOffsets(offsets: readonly { topic: string; partition: number; offset: string }[]): Promise<void> {
    this.requireConnected();
    if (offsets.length === 0) return;
    try {
      await this.group.commit(offsets);
    } catch (err) {
      if (err instanceof LeanClientError && err.code === 'REBALANCE_IN_PROGRESS') this.rejoinNeeded = true;
      throw err;
    }
  }

  /** Stops fetching (the running eachBatch finishes), stops heartbeats, leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    clearInterval(this.heartbeatTimer);
    await this.loop;
    this.loop = undefined;
    await this.group.leave().catch((err: unknown) => this.o.log.warn({ err }, 'leave group failed'));
    this.assignment = {};
  }

  async disconnect(): Promise<void> {
    await this.stop();
    this.cluster.reset(true);
    this.connected = false;
  }

  private requireConnected(): void {
    if (!this.connected) throw new LeanClientError('NOT_RUNNING', 'lean consumer is not connected: call connect() first');
  }

  private async beat(): Promise<void> {
    if (this.heartbeating || this.rejoinNeeded || !this.running) return;
    this.heartbeating = true;
    try {
      if (await this.group.heartbeat() === 'rejoin') this.rejoinNeeded = true;
    } catch (err) {
      this.o.log.warn({ err }, 'heartbeat failed; rejoining');
      this.rejoinNeeded = true;
    } finally {
      this.heartbeating = false;
    }
  }

  private async rejoin(): Promise<void> {
    this.epoch++;
    this.counts.rejoins++;
    const m = await this.group.join(this.topics, async (topics) => {
      const layout = await this.cluster.layout(topics);
      return Object.fromEntries([...layout.leaders].map(([t, parts]) => [t, [...parts.keys()].sort((a, b) => a - b)]));
    });
    this.layout = await this.cluster.layout(this.topics);
    // Positions of partitions kept across the rebalance stay (what was fetched and not yet
    // committed is still in the caller's hands); new ones start at the committed offset.
    const next = new Map<string, bigint>();
    const missing: TopicPartitions = {};
    for (const [topic, parts] of Object.entries(m.assignment)) for (const p of parts) {
      const had = this.positions.get(key(topic, p));
      if (had !== undefined) next.set(key(topic, p), had); else (missing[topic] ??= []).push(p);
    }
    if (Object.keys(missing).length > 0) {
      const committed = await this.group.committed(missing);
      const unset: TopicPartitions = {};
      for (const [topic, parts] of Object.entries(missing)) for (const p of parts) {
        const c = committed.get(key(topic, p)) ?? -1n;
        if (c >= 0n) next.set(key(topic, p), c); else (unset[topic] ??= []).push(p);
      }
      for (const [k, off] of await this.listOffsets(unset, this.fromBeginning ? -2n : -1n)) next.set(k, off);
    }
    this.positions = next;
    this.assignment = m.assignment;
    this.rejoinNeeded = false;
    this.o.log.info({ generationId: m.generationId, memberId: m.memberId, assignment: m.assignment }, 'lean consumer joined');
  }

  private async listOffsets(parts: TopicPartitions, timestamp: bigint): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    const layout = this.layout;
    if (layout === undefined || Object.keys(parts).length === 0) return out;
    for (const [leader, topics] of this.byLeader(layout, parts)) {
      const c = await this.cluster.node(layout, leader, 'fetch');
      const res = await c.request<ListOffsetsResponse>(ApiKey.ListOffsets, LIST_OFFSETS_VERSION, {
        replicaId: -1, isolationLevel: 0,
        topics: [...topics].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, timestamp, currentLeaderEpoch: -1 })) })),
      });
      for (const t of res.topics) for (const p of t.partitions) {
        if (p.errorCode !== 0) throw new LeanClientError('CONNECTION_FAILED', `ListOffsets ${t.name}/${p.partitionIndex}: Kafka error ${p.errorCode}`, { retriable: true, kafkaCode: p.errorCode });
        out.set(key(t.name, p.partitionIndex), p.offset);
      }
    }
    return out;
  }

  private byLeader(layout: Layout, parts: TopicPartitions): Map<number, Map<string, number[]>> {
    const out = new Map<number, Map<string, number[]>>();
    for (const [topic, ps] of Object.entries(parts)) for (const p of ps) {
      const leader = layout.leaders.get(topic)?.get(p);
      if (leader === undefined) throw new LeanClientError('UNKNOWN_TOPIC', `no leader for ${topic}/${p} in metadata`, { retriable: true });
      let topics = out.get(leader);
      if (topics === undefined) { topics = new Map(); out.set(leader, topics); }
      let list = topics.get(topic);
      if (list === undefined) { list = []; topics.set(topic, list); }
      list.push(p);
    }
    return out;
  }

  private async fetchLoop(config: LeanRunConfig): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.rejoinNeeded) await this.rejoin();
        if (Object.keys(this.assignment).length === 0) { await this.idle(this.o.maxWaitMs); continue; }
        await this.fetchOnce(config);
        failures = 0;
      } catch (err) {
        if (!this.running) break;
        this.counts.errors++;
        this.lastError = err;
        if (!isRetriable(err) && !(err instanceof LeanClientError && err.code === 'UNKNOWN_TOPIC')) {
          this.o.log.error({ err }, 'lean consumer: error not retriable; retrying after back-off anyway');
        } else {
          this.o.log.warn({ err }, 'lean consumer: retrying after back-off');
        }
        failures++;
        // A dead socket may mean the broker restarted: the group may have forgotten us.
        if (err instanceof LeanClientError && err.code === 'CONNECTION_FAILED') { this.cluster.reset(); this.group.forgetCoordinator(); this.rejoinNeeded = true; }
        if (err instanceof LeanClientError && (err.code === 'REBALANCE_IN_PROGRESS' || err.code === 'COORDINATOR_NOT_AVAILABLE')) this.rejoinNeeded = true;
        await this.idle(Math.min(this.o.maxRetryMs, this.o.initialRetryMs * 2 ** Math.min(failures - 1, 10)));
      }
    }
  }

  /**
   * One fetch round. While the round's batches are delivered, the next Fetch is already on its
   * way, from the positions the round will leave if every batch is resolved to its end (the
   * common case); if delivery ends anywhere else (a batch not resolved, a rebalance), that
   * prefetched response is dropped and the next round fetches afresh. Hides one broker round
   * trip per round: the 32 MB response of the next round streams in while this one is handled.
   */
  private async fetchOnce(config: LeanRunConfig): Promise<void> {
    const layout = this.layout ?? await this.cluster.layout(this.topics);
    const epoch = this.epoch;
    const pre = this.prefetched;
    this.prefetched = undefined;
    const usable = pre !== undefined && pre.epoch === epoch && samePositions(pre.positions, this.positions);
    if (usable) this.counts.prefetchesUsed++;
    const requested = usable ? pre.positions : new Map(this.positions);
    const responses = usable ? await pre.responses : await this.sendFetch(layout, requested);
    this.counts.fetches++;
    const predicted = new Map(this.positions);
    let data = false;
    for (const res of responses) {
      if (res.errorCode !== 0) throw new LeanClientError('CONNECTION_FAILED', `Fetch: Kafka error ${res.errorCode}`, { retriable: true, kafkaCode: res.errorCode });
      for (const t of res.responses) for (const p of t.partitions) {
        if (p.errorCode !== 0 || p.records === null || p.records.length === 0) continue;
        const k = key(t.topic, p.partitionIndex);
        let end: bigint | undefined;
        forEachBatch(p.records, (b) => { end = b.readBigInt64BE(0) + BigInt(b.readInt32BE(23)) + 1n; });
        if (end !== undefined && end > (predicted.get(k) ?? -1n)) { predicted.set(k, end); data = true; }
      }
    }
    if (data && this.o.prefetch) {
      const next = this.sendFetch(layout, predicted);
      next.catch(() => undefined); // used or dropped by the next round; a failure shows there
      this.prefetched = { epoch, positions: predicted, responses: next };
    }
    for (const res of responses) {
      for (const t of res.responses) for (const p of t.partitions) {
        if (!this.running || this.epoch !== epoch || this.rejoinNeeded) return;
        // A response is only valid for the position it was fetched from (never skip records).
        if (requested.get(key(t.topic, p.partitionIndex)) !== this.positions.get(key(t.topic, p.partitionIndex))) continue;
        await this.deliver(config, t.topic, p, epoch);
      }
    }
  }

  private sendFetch(layout: Layout, positions: ReadonlyMap<string, bigint>): Promise<FetchResponse[]> {
    return Promise.all([...this.byLeader(layout, this.assignment)].map(async ([leader, topics]) => {
      const c = await this.cluster.node(layout, leader, 'fetch');
      return c.request<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, {
        replicaId: -1, maxWaitMs: this.o.maxWaitMs, minBytes: 1, maxBytes: this.o.maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [...topics].map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition, fetchOffset: positions.get(key(topic, partition)) ?? 0n, partitionMaxBytes: this.o.maxBytesPerPartition, currentLeaderEpoch: -1, logStartOffset: -1n })) })),
        forgottenTopicsData: [], rackId: '',
      });
    }));
  }

  private async deliver(config: LeanRunConfig, topic: string, p: FetchResponse['responses'][number]['partitions'][number], epoch: number): Promise<void> {
    const k = key(topic, p.partitionIndex);
    const from = this.positions.get(k);
    if (from === undefined) return;
    if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      const reset = await this.listOffsets({ [topic]: [p.partitionIndex] }, this.fromBeginning ? -2n : -1n);
      this.o.log.warn({ topic, partition: p.partitionIndex, from: from.toString(), to: reset.get(k)?.toString() }, 'fetch offset out of range; reset');
      const to = reset.get(k);
      if (to !== undefined) this.positions.set(k, to);
      return;
    }
    if (p.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || p.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || p.errorCode === ErrorCode.LEADER_NOT_AVAILABLE) {
      this.layout = undefined;
      throw new LeanClientError('CONNECTION_FAILED', `Fetch ${topic}/${p.partitionIndex}: Kafka error ${p.errorCode}; refreshing metadata`, { retriable: true, kafkaCode: p.errorCode });
    }
    if (p.errorCode !== 0) throw new LeanClientError('PROTOCOL_ERROR', `Fetch ${topic}/${p.partitionIndex}: Kafka error ${p.errorCode}`, { retriable: true, kafkaCode: p.errorCode });
    if (p.records === null || p.records.length === 0) return;
    let set;
    try {
      set = decodeRecordSet(p.records, from, this.decoding);
    } catch (err) {
      // The set cannot even be walked (a batchLength < 49): a broker fault, there is no batch end to step to.
      throw new LeanClientError('PROTOCOL_ERROR', `${topic}/${p.partitionIndex} at ${from}: ${(err as Error).message}`, { cause: err });
    }
    const { messages, nextOffset, undecodable } = set;
    if (messages.length > 0) {
      const last = messages[messages.length - 1]!;
      await this.handOver(config, topic, p.partitionIndex, p.highWatermark, messages, epoch);
      // Hand the bad batch over only once everything before it was resolved.
      if (undecodable === undefined || this.positions.get(k) !== BigInt(last.offset) + 1n) return;
    } else if (undecodable === undefined) {
      // Only control records or records below the position: step over them.
      if (nextOffset !== undefined && nextOffset > from) this.positions.set(k, nextOffset);
      return;
    }
    if (this.running && this.epoch === epoch) await this.handOverUndecodable(config, topic, p.partitionIndex, undecodable, epoch);
  }

  private async handOver(config: LeanRunConfig, topic: string, partition: number, highWatermark: bigint, messages: LeanMessage[], epoch: number): Promise<void> {
    const k = key(topic, partition);
    this.counts.batches++;
    this.counts.messages += messages.length;
    let resolved: bigint | undefined;
    const payload: LeanBatchPayload = {
      batch: { topic, partition, highWatermark: highWatermark.toString(), messages },
      resolveOffset: (offset) => { resolved = BigInt(offset); },
      heartbeat: () => Promise.resolve(), // the timer heartbeats; a lost generation shows in isStale()
      isRunning: () => this.running,
      isStale: () => this.epoch !== epoch || this.rejoinNeeded,
    };
    try {
      await config.eachBatch(payload);
    } finally {
      // Only resolved offsets move the position (eachBatchAutoResolve: false), as in kafkajs:
      // a batch the handler skipped or failed is fetched again.
      if (resolved !== undefined && this.epoch === epoch && this.positions.has(k)) this.positions.set(k, resolved + 1n);
    }
  }

  /** A batch that cannot be decoded goes to eachUndecodableBatch, which moves past it by resolving it. */
  private async handOverUndecodable(config: LeanRunConfig, topic: string, partition: number, bad: UndecodableBatch, epoch: number): Promise<void> {
    const k = key(topic, partition);
    const where = `${topic}/${partition} offsets ${bad.baseOffset}..${bad.lastOffset}`;
    if (config.eachUndecodableBatch === undefined) {
      throw new LeanClientError('UNDECODABLE_BATCH', `${where}: ${bad.reason}; pass eachUndecodableBatch to run() to dead-letter such batches and move past them`);
    }
    this.counts.undecodable++;
    this.o.log.warn({ topic, partition, baseOffset: bad.baseOffset.toString(), lastOffset: bad.lastOffset.toString(), bytes: bad.bytes.length, reason: bad.reason }, 'undecodable record batch handed to eachUndecodableBatch');
    let resolved: bigint | undefined;
    try {
      await config.eachUndecodableBatch({
        batch: { topic, partition, baseOffset: bad.baseOffset.toString(), lastOffset: bad.lastOffset.toString(), bytes: bad.bytes, reason: bad.reason },
        resolveOffset: (offset) => { resolved = BigInt(offset); },
        isRunning: () => this.running,
        isStale: () => this.epoch !== epoch || this.rejoinNeeded,
      });
    } finally {
      if (resolved !== undefined && this.epoch === epoch && this.positions.has(k)) this.positions.set(k, resolved + 1n);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }

  private async retrying<T>(what: string, fn: () => Promise<T>, attempts = 10): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (!isRetriable(err) || i >= attempts) throw err;
        this.o.log.warn({ err, attempt: i }, `lean consumer ${what} failed; retrying`);
        if (err instanceof LeanClientError && err.code === 'CONNECTION_FAILED') this.cluster.reset();
        await new Promise((r) => setTimeout(r, Math.min(this.o.maxRetryMs, this.o.initialRetryMs * 2 ** (i - 1))));
      }
    }
  }
}
