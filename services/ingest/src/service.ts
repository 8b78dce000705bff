// The ingest shell: kafkajs or lean-client batches in -> IngestCore (pure) -> raw rows to ClickHouse
// (BatchWriter: size/time batches behind a breaker), normalized events to
// exec.event.normalized.v1, invalid events to ops.deadletter.v1 -> commit.
//
// Offsets: a fetched batch's output (rows stored, events acked, dead letters acked) is
// "durable work"; the BatchConsumerLoop commits the offsets recorded with a batch only after
// that batch and all before it are durable. The offsets recorded are a snapshot taken when
// the batch was processed: per input partition, the next offset to read, lowered to the
// oldest event still waiting for its pair (it has not been forwarded yet). A crash therefore
// re-delivers everything not yet stored+forwarded, and pending pairs are rebuilt from it.
import { BatchConsumerLoop, KitService, Topics, toDeadLetter } from '@warmcast/kit';
import type { CommitPoint, DecodedBatch, ExecutionMetrics, ExecutionRequest, ReadinessCheck } from '@warmcast/kit';
import { BatchWriter, Tables } from '@warmcast/warehouse';
import { ingestOptions, DEFAULT_INGEST_OPTIONS } from './core/options.ts';
import type { IngestOptions } from './core/options.ts';
import { Pseudonymizer } from './core/pseudonym.ts';
import { FeatureCache } from './core/feature-cache.ts';
import { IngestCore, emptyOutput, indexOfOffset } from './core/ingest-core.ts';
import { loadParsers } from './shell/parsers.ts';
import { KafkajsForwarder } from './shell/forwarder.ts';
import type { Forwarder } from './shell/forwarder.ts';
import { LeanForwarder } from './shell/lean-forwarder.ts';
import { CoPartitionedAssigner } from './shell/co-partitioned-assigner.ts';
import { LeanConsumer, coPartitionedAssigner } from '@warmcast/lean-client';
import type { CodeParsers } from './core/features.ts';
import type { IngestService, IngestServiceOptions } from './service-types.ts';

const INPUT_TOPICS = [Topics.execRequestReceived, Topics.execMetricsReported] as const;

function isFullOptions(o: unknown): o is IngestOptions {
  return typeof o === 'object' && o !== null && Object.isFrozen(o) && 'limits' in o && 'forwarder' in o && 'consumer' in o;
}

export function createIngestService(so: IngestServiceOptions): IngestService {
  const options: IngestOptions = so.options === undefined ? DEFAULT_INGEST_OPTIONS : isFullOptions(so.options) ? so.options : ingestOptions(so.options as Record<string, unknown>);
  const clock = so.clock ?? { now: (): number => Date.now() };
  const checks: ReadinessCheck[] = [];
  const kit = new KitService({ config: so.config, ...(so.logger === undefined ? {} : { logger: so.logger }), checks, registerTopics: [...INPUT_TOPICS, Topics.execEventNormalized, Topics.opsDeadletter] });
  const log = kit.log.child({ unit: 'ingest' });
  const pseudonymizer = new Pseudonymizer(so.hmacKey, { previous: so.previousHmacKey ?? null });
  let parsers: CodeParsers = so.parsers ?? {};
  let features = new FeatureCache(parsers, options.featureCacheSize);
  const newCore = (): IngestCore => new IngestCore({
    limits: options.limits, referenceClock: options.referenceClock, pairWindowMs: options.pairWindowMs, maxPending: options.maxPending,
    storeRawUserIds: options.storeRawUserIds, pseudonymizer, features,
  });
  let core = newCore();
  /** Per input topic-partition: the next offset to read (after the last processed batch). */
  let fetched = new Map<string, CommitPoint>();
  const writerOptions = { warehouse: so.warehouse, maxRows: options.batchMaxRows, maxDelayMs: options.batchMaxDelayMs, logger: log };
  const requestsWriter = new BatchWriter({ ...writerOptions, table: Tables.rawRequests });
  const metricsWriter = new BatchWriter({ ...writerOptions, table: Tables.rawMetrics });
  const forwarder: Forwarder = options.forwarder === 'lean'
    ? new LeanForwarder({ brokers: so.config.kafkaBrokers, clientId: so.config.clientId, registry: kit.registry, log })
    : new KafkajsForwarder(kit.kafka, kit.registry);
  const counters = { batches: 0, durableFailures: 0 };

  const handler = (batch: DecodedBatch) => {
    const now = clock.now();
    const out = emptyOutput();
    const { topic, partition, offsets } = batch;
    core.processBatch(batch.topic === Topics.execRequestReceived
      ? { side: 'request', topic, partition, values: batch.values as readonly ExecutionRequest[], offsets }
      : { side: 'metrics', topic, partition, values: batch.values as readonly ExecutionMetrics[], offsets }, now, out);
    counters.batches += 1;
    fetched.set(`${batch.topic}\u0000${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset });
    // Snapshot: never commit past an event that is still waiting for its pair.
    const commit: CommitPoint[] = [];
    for (const p of fetched.values()) {
      const hold = core.pairer.holdOffset(p.topic, p.partition);
      commit.push(hold === null || BigInt(hold) >= BigInt(p.offset) ? p : { ...p, offset: String(hold) });
    }
    let dead: ReturnType<typeof toDeadLetter>[] = [];
    if (out.rejected.length > 0) {
      // Rare: each rejected event's index in the batch (binary search: offsets ascend) for its original bytes.
      dead = out.rejected.flatMap((r) => {
        const i = r.origin.topic === topic && r.origin.partition === partition ? indexOfOffset(offsets, r.origin.offset) : -1;
        return i < 0 ? [] : [toDeadLetter(batch.raw(i), { code: 'VALIDATION_FAILED', text: `${r.code}: ${r.reason}`, attempts: 1 }, so.config.clientId, now)];
      });
    }
    const durable = Promise.all([
      requestsWriter.write(out.rawRequests),
      metricsWriter.write(out.rawMetrics),
      forwarder.send(out.normalized),
      loop.sendDeadLetters(dead, batch.topic),
    ]).then(() => undefined, (err: unknown) => { counters.durableFailures += 1; throw err; });
    return { durable, commit };
  };

  const loop: BatchConsumerLoop = new BatchConsumerLoop({
    // Same fetch sizes and the same assignment protocol on both, so lean and kafkajs members can share the group.
    consumer: options.consumer === 'lean'
      ? new LeanConsumer({ brokers: so.config.kafkaBrokers, clientId: so.config.clientId, groupId: so.config.groupId, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024, assigners: [coPartitionedAssigner], log: log.child({ unit: 'lean-consumer' }) })
      : kit.kafka.consumer({ groupId: so.config.groupId, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024, partitionAssigners: [CoPartitionedAssigner] }),
    topics: [...INPUT_TOPICS], producer: kit.producer, handler, log, service: so.config.clientId, metrics: kit.metrics,
    fromBeginning: so.fromBeginning ?? true, maxInFlight: options.maxInFlightBatches,
    onReset: () => { core = newCore(); fetched = new Map(); },
    ...(so.beforeCommit === undefined ? {} : { beforeCommit: so.beforeCommit }),
  });

  kit.addSink({
    name: 'ingest sinks',
    start: async () => {
      if (so.parsers === undefined) {
        parsers = await loadParsers();
        features = new FeatureCache(parsers, options.featureCacheSize);
        core = newCore();
      }
      await forwarder.start();
    },
    close: async () => {
      await Promise.allSettled([requestsWriter.close(), metricsWriter.close()]);
      await forwarder.close();
    },
  });
  // Added after the sinks: starts last, closes first (stop fetching, drain, commit), then sinks flush.
  kit.addSink({ name: 'ingest consumer', start: () => loop.start(), close: () => loop.close() });

  return {
    kit,
    options,
    start: () => kit.start(),
    close: () => kit.close(),
    stats(): Record<string, number> {
      const c = core.counts;
      const p = core.pairer.counts;
      const f = features.counts;
      return {
        fetched: loop.counts.messages, requests: c.requests, metrics: c.metrics, rejected: c.rejected, undecodable: loop.counts.undecodable,
        normalized: c.normalized, redelivered: c.redelivered, forwarded: forwarder.sent, paired: p.paired, expired: p.expired, evicted: p.evicted, late: p.late,
        duplicates: p.duplicates, pending: core.pairer.size, parsed: f.parsed, parseFailures: f.parseFailures, featureCacheHits: f.cacheHits,
        codeMetricsCopied: f.copied, rowsStored: requestsWriter.stats().rowsWritten + metricsWriter.stats().rowsWritten,
        batches: counters.batches, commits: loop.counts.commits, resets: loop.counts.resets, durableFailures: counters.durableFailures,
        userKeyCacheHits: pseudonymizer.hits, userKeyCacheMisses: pseudonymizer.misses,
      };
    },
  };
}
