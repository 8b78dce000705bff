// The embedded broker and registry on port 0 in a fresh temp dir, catalogue topics created
// with 1 partition, everything removed afterwards (same shape as the kit's helpers).
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
import { catalogue, ensureTopics } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  kafka(clientId?: string): KafkaT;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-scaler-'));
  const silent = pino({ level: process.env['SCALER_TEST_LOG'] ?? 'silent' });
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
  const kafka = (clientId = 'scaler-test'): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  const admin = kafka('scaler-admin').admin();
  await admin.connect();
  await ensureTopics(admin, catalogue, { partitionsOverride: 1 });
  await admin.disconnect();
  const b = broker;
  const r = registry;
  return {
    brokers, registryUrl: r.url, kafka,
    async stop() {
      await r.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
