// Embedded broker + registry on port 0 in a fresh temp dir, removed afterwards (the kit's
// integration fixture, for this package).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import { catalogue, ensureTopics } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  kafka(clientId: string): KafkaT;
  stop(): Promise<void>;
}

export async function startStack(partitions: number): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-aggregator-'));
  const silent = pino({ level: 'silent' });
  const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger: silent });
  const registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger: silent }).catch(async (err: unknown) => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const brokers = [`127.0.0.1:${broker.port}`];
  const kafka = (clientId: string): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  const admin = kafka('aggregator-admin').admin();
  await admin.connect();
  await ensureTopics(admin, catalogue, { partitionsOverride: partitions });
  await admin.disconnect();
  return {
    brokers, registryUrl: registry.url, kafka,
    async stop() {
      await registry.close();
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
