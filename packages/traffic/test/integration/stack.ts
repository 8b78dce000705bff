// Integration fixture: the embedded broker and registry on port 0 in a fresh temp dir, the
// catalogue's topics (1 partition each, enough here), schemas registered; all removed after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { startBroker, type RunningBroker } from '@warmcast/broker';
import { startRegistry, type RunningRegistry } from '@warmcast/registry';
import { catalogue, createRegistryClient, ensureTopics, registerSchemas } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  kafka(clientId?: string): KafkaT;
  stop(): Promise<void>;
}

export async function startStack(options: { topics?: boolean } = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-traffic-'));
  const silent = pino({ level: 'silent' });
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
  const kafka = (clientId = 'traffic-test'): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  if (options.topics !== false) {
    const admin = kafka('traffic-admin').admin();
    await admin.connect();
    await ensureTopics(admin, catalogue, { partitionsOverride: 1 });
    await admin.disconnect();
    await registerSchemas(createRegistryClient(registry.url), catalogue);
  }
  const [b, r] = [broker, registry];
  return {
    brokers, registryUrl: r.url, kafka,
    async stop() {
      await r.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
