// The aggregator's shell: Kafka in and out around the pure AggregatorCore.
//   forecast.user.published.v1 -> windows -> demand.pool.aggregated.v1 + demand.cluster.aggregated.v1
//   pool.outcome.reported.v1   -> detector -> feedback.anomaly.detected.v1
// A closed window is published at once (one send per topic), not batched: the stack measures
// window close -> scaler command. The only wall-clock pieces are the idle timer and detectedAt.
// Commits: a forecast's offset is held (the kit loop's commit floor) until every window it feeds
// is published; each commit carries the newest published window as metadata, read back at start
// so that forecasts re-read for windows already published are dropped (docs/aggregation.md §7).
import { KitService, Topics, isRetriable } from '@warmcast/kit';
import type { CommitHold, KitConfig, Logger, PoolOutcome, UserForecast } from '@warmcast/kit';
import { AggregatorCore } from './core/aggregator.ts';
import { encodeCommitMetadata, restoreMetadata } from './core/offset-holds.ts';
import type { WindowOutput } from './core/aggregate.ts';
import type { AggregatorOverrides, AggregatorSettings } from './settings.ts';
import { parseAggregatorSettings } from './settings.ts';

export interface AggregatorServiceOptions extends AggregatorOverrides {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** Fully parsed settings (main.ts parses the environment); when given, the overrides above are ignored. */
  readonly settings?: AggregatorSettings;
  /** Wall clock for detectedAt and close->publish latency; injected in tests. */
  readonly clock?: { now(): number };
  /** Read topics from the beginning when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean;
}

export interface AggregatorService {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Live counters for a summary line. */
  stats(): Record<string, number>;
  readonly settings: AggregatorSettings;
}

interface Pending { readonly out: WindowOutput; readonly closedAt: number }

/** The last 1 024 close -> publish latencies, for p50/p99 in stats() (a ring; no growth). */
class LatencyRing {
  private readonly values = new Float64Array(1024);
  private n = 0;
  add(ms: number): void {
    this.values[this.n % this.values.length] = ms;
    this.n += 1;
  }
  quantile(q: number): number {
    const k = Math.min(this.n, this.values.length);
    if (k === 0) return 0;
    const sorted = Array.from(this.values.subarray(0, k)).sort((a, b) => a - b);
    return sorted[Math.min(k - 1, Math.ceil(q * k) - 1)] as number;
  }
}

export function createAggregatorService(options: AggregatorServiceOptions): AggregatorService {
  const settings = options.settings ?? parseAggregatorSettings(options);
  const clock = options.clock ?? { now: () => Date.now() };
  const kit = new KitService({
    config: options.config,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    registerTopics: [Topics.forecastUserPublished, Topics.poolOutcomeReported, Topics.demandPoolAggregated, Topics.demandClusterAggregated, Topics.feedbackAnomalyDetected, Topics.opsDeadletter],
  });
  const log = kit.log.child({ unit: 'aggregator' });
  const core = new AggregatorCore(settings);
  const pending: Pending[] = [];
  const pub = { windows: 0, windowsDropped: 0, demand: 0, cluster: 0, anomalies: 0, lastLatencyMs: 0, maxLatencyMs: 0, publishErrors: 0 };
  const latencies = new LatencyRing();
  let idleTimer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closing = false;
  let commitReleased: () => Promise<void> = async () => {};
  /** Per input partition: the offset committed last and the last finished offset it covers (stats). */
  const commits = new Map<number, { committed: number; finished: number }>();

  // Sends pending windows in order, one at a time. A retriable failure (broker down) leaves the
  // window queued: the forecast handler throws, the kit retries it, and the next attempt sends
  // the window again. A non-retriable one (a record the schema refuses) would block every later
  // window, so that window is logged, counted and dropped.
  const drain = async (): Promise<void> => {
    let released = false;
    while (pending.length > 0) {
      const p = pending[0] as Pending;
      try {
        await Promise.all([
          p.out.demand.length > 0 ? kit.producer.send(Topics.demandPoolAggregated, p.out.demand) : Promise.resolve(),
          kit.producer.send(Topics.demandClusterAggregated, p.out.cluster),
        ]);
      } catch (err) {
        if (isRetriable(err)) throw err;
        pending.shift();
        core.published(p.out.windowStart); // refused for good: re-reading its forecasts would only be refused again
        released = true;
        pub.windowsDropped += 1;
        log.error({ err, windowStart: p.out.windowStart }, 'window output refused; dropped');
        continue;
      }
      pending.shift();
      core.published(p.out.windowStart);
      const latency = clock.now() - p.closedAt;
      pub.windows += 1;
      pub.demand += p.out.demand.length;
      pub.cluster += p.out.cluster.length;
      pub.lastLatencyMs = latency;
      pub.maxLatencyMs = Math.max(pub.maxLatencyMs, latency);
      latencies.add(latency);
      log.debug({ windowStart: p.out.windowStart, pools: p.out.demand.length, users: p.out.counts.users, latencyMs: latency }, 'window published');
      released = true;
    }
    // Published windows no longer hold their forecasts: commit them on every partition now (a
    // quiet partition has no next message whose batch would). Not awaited: the next window's
    // send need not wait for a commit round trip (the kit serializes commits; never rejects).
    if (released) void commitReleased();
  };
  /** closedAt: wall time before the window was aggregated, so the latency includes the maths. */
  const publish = (outs: readonly WindowOutput[], closedAt: number): Promise<void> => {
    for (const out of outs) pending.push({ out, closedAt });
    const run = chain.then(drain);
    chain = run.catch(() => {});
    return run;
  };

  const armIdle = (): void => {
    if (settings.idleCloseMs <= 0 || closing) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const t0 = clock.now();
      publish(core.flush(), t0).catch((err: unknown) => {
        pub.publishErrors += 1;
        log.warn({ err }, 'publishing windows closed by the idle timer failed; retrying');
        armIdle();
      });
    }, settings.idleCloseMs);
    idleTimer.unref();
  };

  const commitHold: CommitHold = {
    floor: (_topic, partition) => {
      const f = core.commitFloor(partition);
      return f === null ? null : String(f);
    },
    metadata: () => encodeCommitMetadata(core.publishedThrough),
    onRelease: (fn) => { commitReleased = fn; },
    // Graceful close: publish what is open while the consumer can still commit its forecasts.
    beforeClose: async () => {
      closing = true;
      clearTimeout(idleTimer);
      await publish(core.flush(), clock.now());
    },
    onCommitted: (_topic, partition, committed, finished) => { commits.set(partition, { committed: Number(committed), finished: Number(finished) }); },
  };

  kit.consume(Topics.forecastUserPublished, async (msg, ctx) => {
    const f: UserForecast = msg.value;
    const t0 = clock.now();
    const { status, closed } = core.onForecast(f, msg.partition, Number(msg.offset));
    if (status === 'late') ctx.log.debug({ tickTime: f.tickTime }, 'late forecast dropped');
    armIdle();
    if (closed.length > 0 || pending.length > 0) await publish(closed, t0);
  }, { commitHold, ...(options.fromBeginning === undefined ? {} : { fromBeginning: options.fromBeginning }) });

  kit.consume(Topics.poolOutcomeReported, async (msg) => {
    const o: PoolOutcome = msg.value;
    const a = core.onOutcome(o, clock.now());
    if (a === null) return;
    await kit.producer.send(Topics.feedbackAnomalyDetected, [{ key: a.subjectId, value: a }]);
    pub.anomalies += 1;
    log.info({ poolId: a.subjectId, severity: a.severity, observed: a.observed, lower: a.expectedLower, upper: a.expectedUpper }, 'pool demand outside the predicted band');
  }, {
    // Its own group: kafkajs members of one group are expected to share one subscription.
    groupId: `${options.config.groupId}.outcomes`,
    ...(options.fromBeginning === undefined ? {} : { fromBeginning: options.fromBeginning }),
  });

  // Before the consumers start: the forecast topic's partitions, so that one not heard from yet
  // holds windows back (up to idlePartitionTicks) instead of its first forecasts arriving late;
  // and the newest window an earlier run published (the commits' metadata), so that what the
  // consumer re-reads from the commit floor for such windows is dropped, not published again
  // from a partial re-read. Without that knowledge the start fails (a restart retries it).
  kit.addSink({
    name: 'forecast partitions',
    start: async () => {
      const admin = kit.kafka.admin();
      try {
        await admin.connect();
        try {
          const md = await admin.fetchTopicMetadata({ topics: [Topics.forecastUserPublished] });
          const ids = md.topics[0]?.partitions.map((p) => p.partitionId) ?? [];
          core.expectPartitions(ids);
          log.info({ partitions: ids.length }, 'forecast partitions');
        } catch (err) {
          log.warn({ err }, 'forecast partitions unknown; windows wait only for partitions seen');
        }
        const offsets = await admin.fetchOffsets({ groupId: options.config.groupId, topics: [Topics.forecastUserPublished] });
        const restored = restoreMetadata(offsets.flatMap((t) => t.partitions.map((p) => p.metadata)));
        for (const reason of restored.errors) log.warn({ groupId: options.config.groupId, reason }, 'commit metadata not understood; ignored');
        if (restored.publishedThrough !== undefined) {
          core.restore(restored.publishedThrough);
          log.info({ publishedThrough: restored.publishedThrough }, 'windows published by an earlier run; their re-read forecasts are dropped');
        }
      } finally {
        await admin.disconnect();
      }
    },
    close: async () => {},
  });

  // Closes after the consumers stop and before the producer: normally nothing is left (the
  // forecast loop's beforeClose published it and committed its forecasts); if that failed, what
  // is open is published here, and its forecasts, uncommitted, are re-read by the next run.
  kit.addSink({
    name: 'windows',
    start: async () => {},
    close: async () => {
      closing = true;
      clearTimeout(idleTimer);
      await publish(core.flush(), clock.now());
    },
  });

  return {
    settings,
    start: () => kit.start(),
    close: async () => {
      closing = true;
      clearTimeout(idleTimer);
      await kit.close();
    },
    stats: () => ({
      ...core.counters,
      openWindows: core.openWindows(),
      heldWindows: core.heldWindows(),
      pendingWindows: pending.length,
      windowsPublished: pub.windows,
      windowsDropped: pub.windowsDropped,
      demandPublished: pub.demand,
      clusterPublished: pub.cluster,
      anomaliesPublished: pub.anomalies,
      publishErrors: pub.publishErrors,
      lastCloseToPublishMs: pub.lastLatencyMs,
      p50CloseToPublishMs: latencies.quantile(0.5),
      p99CloseToPublishMs: latencies.quantile(0.99),
      maxCloseToPublishMs: pub.maxLatencyMs,
      ...Object.fromEntries([...commits].flatMap(([p, c]) => [[`committedOffset.p${p}`, c.committed], [`lastOffset.p${p}`, c.finished]])),
    }),
  };
}
