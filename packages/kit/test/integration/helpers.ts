// Integration fixtures: the embedded broker and registry on port 0, each in a fresh temp
// dir, closed and removed afterwards. Topics keep their catalogue names (the serdes derive
// the subject from the topic name, so unique suffixes would break the catalogue lookup),
// so each test file gets its own broker and registry instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { catalogue } from '../../src/topics.ts';
import { ensureTopics } from '../../src/topic-admin.ts';

const { Kafka, logLevel } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly dir: string;
  kafka(clientId?: string): KafkaT;
  createTopics(names?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-kit-'));
  const silent = pino({ level: process.env['KIT_TEST_LOG'] ?? 'silent' });
  let broker: RunningBroker | undefined;
  let registry: RunningRegistry | undefined;
  try {
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger: silent });
    registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger: silent });
  } catch (err) {
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const brokers = [`127.0.0.1:${broker.port}`];
  const kafka = (clientId = 'kit-test'): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  const b = broker;
  const r = registry;
  return {
    brokers, registryUrl: r.url, dir, kafka,
    async createTopics(names = catalogue.map((t) => t.name)) {
      const admin = kafka('kit-admin').admin();
      await admin.connect();
      // Catalogue settings, but 1 partition: enough for per-partition logic; 12 would only slow tests.
      await ensureTopics(admin, catalogue.filter((t) => names.includes(t.name)), { partitionsOverride: 1 });
      await admin.disconnect();
    },
    async stop() {
      await r.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
