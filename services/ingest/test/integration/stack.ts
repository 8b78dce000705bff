// Integration fixture: embedded broker + registry on port 0 and a chDB warehouse, each in a
// fresh temp dir, removed afterwards. One stack per test file (chDB: one process per data dir).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { TypedProducer, catalogue, createRegistryClient, ensureTopics, parseConfig, registerSchemas } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';
import { openWarehouse } from '@warmcast/warehouse';
import type { Warehouse } from '@warmcast/warehouse';

export interface Stack {
  readonly dir: string;
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly warehouse: Warehouse;
  kafka(clientId?: string): Kafka;
  config(overrides?: Partial<Record<keyof KitConfig, unknown>>): KitConfig;
  /** Creates every catalogued topic (partitions as given, default 2) and registers the schemas. */
  prepare(partitions?: number): Promise<void>;
  /** A typed producer for seeding input topics (caller closes it). */
  producer(): Promise<TypedProducer>;
  stop(): Promise<void>;
}

export async function startStack(options: { warehouse?: boolean } = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-ingest-'));
  const silent = pino({ level: process.env['INGEST_TEST_LOG'] ?? 'silent' });
  const broker: RunningBroker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger: silent });
  const registry: RunningRegistry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger: silent });
  const warehouse = options.warehouse === false ? (undefined as unknown as Warehouse) : await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
  const brokers = [`127.0.0.1:${broker.port}`];
  const kafka = (clientId = 'ingest-test'): Kafka => new kafkajs.Kafka({ clientId, brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  return {
    dir, brokers, registryUrl: registry.url, warehouse, kafka,
    config: (overrides = {}) => parseConfig({ kafkaBrokers: brokers, registryUrl: registry.url, httpPort: 0, clientId: 'ingest', groupId: 'ingest', logLevel: process.env['INGEST_TEST_LOG'] ?? 'silent', retryMaxMs: 1000, ...overrides }),
    async prepare(partitions = 2) {
      const admin = kafka('admin').admin();
      await admin.connect();
      await ensureTopics(admin, catalogue, { partitionsOverride: partitions });
      await admin.disconnect();
      await registerSchemas(createRegistryClient(registry.url), catalogue);
    },
    async producer() {
      const p = new TypedProducer({ producer: kafka('seed').producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner }), registry: createRegistryClient(registry.url) });
      await p.start();
      return p;
    },
    async stop() {
      await warehouse?.close();
      await registry.close();
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
