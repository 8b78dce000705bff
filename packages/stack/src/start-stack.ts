// The one-command stack (`warmcast up`, `npm start`): the embedded broker, registry and chDB,
// every service of the pipeline in this one process, and the bundled trace replayed as traffic.
// Start order: the protocols first (broker, registry, topics), then the services from the end
// of the pipeline back to its start (warehouse with its HTTP endpoint and sink, adapters,
// scaler, aggregator, profiler, ingest) so that every consumer is listening before its input
// flows, then the publisher. close() runs the same list backwards: the publisher stops, each
// service stops consuming and commits only durable work, the sink flushes, then the storage
// closes. What was published but not yet processed stays in the broker's log for the next start.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { KitService, Topics, catalogue, createLogger, ensureTopics, parseConfig } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';
import { createWarehouseService } from '@warmcast/warehouse';
import { SAMPLE_TRACE_DIR, loadTrafficTrace, publishTrace } from '@warmcast/traffic';
import type { PublishResult } from '@warmcast/traffic';
import { DEV_HMAC_KEY, createIngestService } from '@warmcast/ingest';
import { createProfilerService, profilerProducerFromEnv } from '@warmcast/profiler';
import { createAggregatorService } from '@warmcast/aggregator';
import { DEFAULT_POLICY, createScalerService, withMode } from '@warmcast/scaler';
import { createAdapterService } from '@warmcast/adapters';
import { parseStackOptions } from './core/options.ts';
import type { StackOptions } from './core/options.ts';
import { formatSummary, summarize } from './core/summary.ts';
import type { StackSnapshot, Stats, Summary } from './core/summary.ts';

const { Kafka, logLevel } = kafkajs;

interface Part {
  readonly name: string;
  close(): Promise<void>;
}

interface Service {
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): Record<string, number>;
}

export interface RunningStack {
  readonly options: StackOptions;
  readonly brokers: string;
  readonly registryUrl: string;
  readonly clickhouseUrl: string;
  /** Resolves when the trace has been published (or publishing was stopped). */
  readonly published: Promise<PublishResult>;
  snapshot(): StackSnapshot;
  summary(): Summary;
  /** Stops everything in reverse start order; safe to call twice. */
  close(): Promise<void>;
}

export interface StartStackHooks {
  readonly logger?: Logger;
  /** Called with every live summary line (default: logged). */
  readonly onSummary?: (line: string, summary: Summary) => void;
}

export async function startStack(given: Partial<Record<keyof StackOptions, unknown>> = {}, hooks: StartStackHooks = {}): Promise<RunningStack> {
  const options = parseStackOptions(given);
  const log = hooks.logger ?? createLogger({ name: 'warmcast-up', level: options.logLevel });
  const dataDir = resolve(options.dataDir);
  const parts: Part[] = [];
  const closeAll = async (): Promise<void> => {
    for (const p of parts.splice(0).reverse()) {
      try {
        await p.close();
      } catch (err) {
        log.error({ err, part: p.name }, 'close failed');
      }
    }
  };
  try {
    await mkdir(dataDir, { recursive: true });
    const quiet = log.child({}, { level: options.logLevel === 'silent' ? 'silent' : 'warn' });
    const broker: RunningBroker = await startBroker({
      port: options.brokerPort, host: options.host, dataDir: join(dataDir, 'kafka'), logger: quiet,
      defaultPartitions: options.partitions,
      // One member per group in this process: waiting 3 s for more members only delays start-up.
      groupInitialRebalanceDelayMs: 0,
    });
    parts.push({ name: 'broker', close: () => broker.close() });
    const brokers = `${options.host}:${broker.port}`;
    const registry: RunningRegistry = await startRegistry({ port: options.registryPort, host: options.host, dataDir: join(dataDir, 'registry'), logger: quiet });
    parts.push({ name: 'registry', close: () => registry.close() });
    const admin = new Kafka({ clientId: 'warmcast-up', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await ensureTopics(admin, catalogue, { partitionsOverride: options.partitions });
    await admin.disconnect();

    const config = (name: string): KitConfig => parseConfig({
      kafkaBrokers: [brokers], registryUrl: registry.url, clientId: `warmcast-${name}`, groupId: `warmcast-${name}`, httpPort: 0, logLevel: options.logLevel,
    });
    const child = (name: string): Logger => log.child({ service: name });
    const services: Record<string, Service> = {};
    const add = async (name: string, s: Service): Promise<void> => {
      await s.start();
      services[name] = s;
      parts.push({ name, close: () => s.close() });
    };
    // The warehouse service opens chDB in DIR/warehouse (or CLICKHOUSE_URL's server), serves it
    // over ClickHouse HTTP (chDB allows one process per directory: `warmcast sql` and any
    // ClickHouse client reach the running stack's warehouse through this endpoint, recorded in
    // warehouse/endpoint.json) and runs the sink. Ingest shares its connection.
    const warehouseService = createWarehouseService({
      config: config('warehouse'), logger: child('warehouse'), dataDir: join(dataDir, 'warehouse'), endpoint: { port: options.clickhousePort, host: options.host },
    });
    await add('warehouse', warehouseService);
    const warehouse = warehouseService.warehouse;
    const clickhouseUrl = warehouseService.endpointUrl ?? process.env['CLICKHOUSE_URL'] ?? '';
    await add('adapters', createAdapterService({ config: config('adapters'), logger: child('adapters') }));
    await add('scaler', createScalerService({ config: config('scaler'), logger: child('scaler'), policy: options.predict ? DEFAULT_POLICY : withMode(DEFAULT_POLICY, 'off') }));
    await add('aggregator', createAggregatorService({ config: config('aggregator'), logger: child('aggregator') }));
    await add('profiler', createProfilerService({ config: config('profiler'), logger: child('profiler'), producer: profilerProducerFromEnv(process.env) }));
    // The stack replays a trace faster than real time, so event times run ahead of the wall
    // clock: ingest checks skew against the stream's own watermark, not against wall time.
    await add('ingest', createIngestService({ config: config('ingest'), logger: child('ingest'), warehouse, hmacKey: DEV_HMAC_KEY, options: { referenceClock: 'watermark' } }));

    const publisher = new KitService({ config: config('publisher'), logger: child('publisher'), registerTopics: [Topics.execRequestReceived, Topics.execMetricsReported] });
    await publisher.start();
    parts.push({ name: 'publisher', close: () => publisher.close() });
    const trace = loadTrafficTrace(options.traceDir ?? SAMPLE_TRACE_DIR);
    const abort = new AbortController();
    let progress: Stats = {};
    let eventTime: number | null = null;
    const published = publishTrace({
      producer: publisher.producer, trace, speed: options.speed, fromMinute: options.fromMinute,
      ...(options.minutes === null ? {} : { limit: options.minutes }),
      signal: abort.signal,
      onProgress: (p) => { progress = { requests: p.requests, metrics: p.metrics, minute: p.minute }; eventTime = p.eventTime; },
    });
    published.then((r) => log.info({ requests: r.requests, metrics: r.metrics, minutes: r.minutes, wallMs: r.wallMs, aborted: r.aborted }, 'trace published'), (err: unknown) => log.error({ err }, 'publishing failed'));
    parts.push({ name: 'traffic', close: async () => { abort.abort(); await published.catch(() => undefined); } });

    const stats = (name: string): Stats => services[name]?.stats() ?? {};
    const snapshot = (): StackSnapshot => ({
      at: Date.now(), eventTime, publisher: progress, ingest: stats('ingest'), profiler: stats('profiler'), aggregator: stats('aggregator'),
      scaler: stats('scaler'), adapters: stats('adapters'), sink: stats('warehouse'),
    });
    let last: StackSnapshot | null = null;
    if (options.summaryEveryMs > 0) {
      const timer = setInterval(() => {
        const now = snapshot();
        const s = summarize(now, last);
        last = now;
        const line = formatSummary(s);
        if (hooks.onSummary !== undefined) hooks.onSummary(line, s);
        else log.info({ summary: s }, line);
      }, options.summaryEveryMs);
      timer.unref();
      parts.push({ name: 'summary', close: async () => clearInterval(timer) });
    }
    let closing: Promise<void> | null = null;
    return {
      options, brokers, registryUrl: registry.url, clickhouseUrl, published,
      snapshot, summary: () => summarize(snapshot(), null),
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
