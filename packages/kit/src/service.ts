// The composition root a service builds once: config -> logger, metrics, Kafka client,
// registry client (behind a breaker), schema registration, typed producer, consumer loops,
// sinks, HTTP probes, all under one Lifecycle (start order http -> producers -> sinks ->
// consumers; close in reverse). The only place in the kit that builds real clocks and clients.
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import type { Logger } from 'pino';
import type { KitConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { KitMetrics } from './metrics.ts';
import { createBreaker, guardWith } from './breaker.ts';
import type { Breaker } from './breaker.ts';
import { createRegistryClient, registerSchemas, registryError } from './serde/registry.ts';
import { TypedProducer } from './producer.ts';
import { ConsumerLoop } from './consumer/loop.ts';
import type { ConsumerLoopOptions, Handler } from './consumer/loop.ts';
import { HttpServer } from './http/server.ts';
import type { ReadinessCheck } from './http/server.ts';
import { Lifecycle } from './lifecycle.ts';
import type { Component } from './lifecycle.ts';
import { catalogue } from './topics.ts';
import type { TopicName } from './generated/catalogue.ts';
import { WarmcastError, isRetriable, isWarmcastError } from './errors.ts';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log.ts';

const { Kafka, Partitioners } = kafkajs;

export interface ServiceOptions {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** Extra readiness checks (e.g. ClickHouse), next to the built-in kafka and registry ones. */
  readonly checks?: readonly ReadinessCheck[];
  /** Topics whose value schemas are registered at start-up; default: the whole catalogue. */
  readonly registerTopics?: readonly TopicName[];
  /** Attempts for start-up registration while the registry is unavailable (retriable errors only). */
  readonly registerAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type ConsumeOptions<N extends TopicName> = Partial<Pick<ConsumerLoopOptions<N>, 'policy' | 'fromBeginning' | 'clock' | 'beforeCommit' | 'commitEveryMessages' | 'commitHold'>> & { readonly groupId?: string };

export class KitService {
  readonly config: KitConfig;
  readonly log: Logger;
  readonly metrics: KitMetrics;
  readonly kafka: KafkaT;
  readonly registry: SchemaRegistryClient;
  readonly producer: TypedProducer;
  readonly http: HttpServer;
  private readonly lifecycle: Lifecycle;
  private readonly registryBreaker: Breaker<[() => Promise<unknown>], unknown>;

  constructor(private readonly options: ServiceOptions) {
    const { config } = options;
    this.config = config;
    this.log = options.logger ?? createLogger({ name: config.clientId, level: config.logLevel });
    this.metrics = createMetrics({ defaultMetrics: true });
    this.kafka = new Kafka({ clientId: config.clientId, brokers: [...config.kafkaBrokers], logLevel: kafkaLogLevel(this.log.level), logCreator: kafkaLogCreator(this.log), retry: { retries: 8, initialRetryTime: 100 } });
    this.registry = createRegistryClient(config.registryUrl);
    // One breaker for every registry call of the process: readiness, schema lookups when decoding.
    this.registryBreaker = createBreaker('registry', (call: () => Promise<unknown>) => call());
    const guard = guardWith(this.registryBreaker);
    this.producer = new TypedProducer({ producer: this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner }), registry: this.registry, metrics: this.metrics, guard });
    const admin = this.kafka.admin();
    const kafkaCheck: ReadinessCheck = { name: 'kafka', check: async () => { await admin.connect(); await admin.describeCluster(); } };
    const registryCheck: ReadinessCheck = { name: 'registry', check: async () => { await guard(() => this.registry.getAllSubjects()); } };
    this.http = new HttpServer({ port: config.httpPort, registry: this.metrics.registry, checks: [kafkaCheck, registryCheck, ...(options.checks ?? [])] });
    this.lifecycle = new Lifecycle({ onError: (c, phase, err) => this.log.error({ err, component: c.name, phase }, 'lifecycle step failed') });
    this.lifecycle.add({ name: 'http', stage: 'http', start: () => this.http.start(), close: () => this.http.close() });
    this.lifecycle.add({ name: 'schemas', stage: 'producer', start: () => this.registerSchemas(), close: async () => { this.registryBreaker.shutdown(); await admin.disconnect(); } });
    this.lifecycle.add({ name: 'producer', stage: 'producer', start: () => this.producer.start(), close: () => this.producer.close() });
  }

  /** Adds a consumer loop for a catalogued topic (before start()). */
  consume<N extends TopicName>(topic: N, handler: Handler<N>, options: ConsumeOptions<N> = {}): this {
    const loop = new ConsumerLoop({
      consumer: this.kafka.consumer({ groupId: options.groupId ?? this.config.groupId }),
      topic, handler, producer: this.producer, log: this.log.child({ unit: 'consumer', topic }), service: this.config.clientId, metrics: this.metrics,
      policy: options.policy ?? { maxAttempts: this.config.maxAttempts, baseMs: this.config.retryBaseMs, maxMs: this.config.retryMaxMs, factor: 2, jitter: 0.2 },
      ...(options.fromBeginning === undefined ? {} : { fromBeginning: options.fromBeginning }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
      ...(options.commitEveryMessages === undefined ? {} : { commitEveryMessages: options.commitEveryMessages }),
      ...(options.commitHold === undefined ? {} : { commitHold: options.commitHold }),
    });
    this.lifecycle.add({ name: `consumer ${topic}`, stage: 'consumer', start: () => loop.start(), close: () => loop.close() });
    return this;
  }

  /** Adds a sink (e.g. a ClickHouse batch writer): started before consumers, flushed after they stop. */
  addSink(sink: Omit<Component, 'stage'>): this {
    this.lifecycle.add({ ...sink, stage: 'sink' });
    return this;
  }

  async start(): Promise<void> {
    await this.lifecycle.start();
    this.log.info({ httpPort: this.http.port, brokers: this.config.kafkaBrokers }, 'started');
  }

  /** Closes in reverse start order; gives up after shutdownTimeoutMs (TIMEOUT) so a stuck sink cannot hang a pod forever. */
  async close(): Promise<void> {
    this.log.info({}, 'closing');
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WarmcastError('TIMEOUT', `close did not finish within ${this.config.shutdownTimeoutMs} ms`)), this.config.shutdownTimeoutMs);
    });
    try {
      await Promise.race([this.lifecycle.close(), limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async registerSchemas(): Promise<void> {
    const names = new Set<string>(this.options.registerTopics ?? catalogue.map((t) => t.name));
    const topics = catalogue.filter((t) => names.has(t.name));
    const attempts = this.options.registerAttempts ?? 10;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      try {
        const ids = await registerSchemas(this.registry, topics);
        this.log.info({ subjects: Object.fromEntries(ids) }, 'schemas registered');
        return;
      } catch (err) {
        const e = isWarmcastError(err) ? err : registryError(err, 'register');
        if (!isRetriable(e) || attempt >= attempts) throw e;
        const delay = Math.min(5000, 100 * 2 ** (attempt - 1)); // 100 ms, 200, 400, ... 5 s: ~20 s over 10 attempts
        this.log.warn({ err: e, attempt, delayMs: delay }, 'schema registration failed; retrying');
        await sleep(delay);
      }
    }
  }
}

/** For a service's main: close on SIGTERM/SIGINT, exit 0 when closed, 1 when close failed. */
export function closeOnSignals(service: { close(): Promise<void>; log: Logger }): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    service.log.info({ signal }, 'signal received');
    service.close().then(() => process.exit(0), (err: unknown) => { service.log.error({ err }, 'close failed'); process.exit(1); });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
