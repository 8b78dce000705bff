// The embedded broker and registry on port 0 in a fresh temp dir (as the kit's integration
// helpers do), with the catalogue's topics created at 1 partition; removed by stop().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import { catalogue, ensureTopics } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly dir: string;
  kafka(clientId?: string): KafkaT;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-wh-stack-'));
  const silent = pino({ level: 'silent' });
  let broker: RunningBroker | undefined;
  try {
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger: silent });
    const registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger: silent });
    const brokers = [`127.0.0.1:${broker.port}`];
    const kafka = (clientId = 'wh-test'): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
    const admin = kafka('wh-admin').admin();
    await admin.connect();
    await ensureTopics(admin, catalogue, { partitionsOverride: 1 });
    await admin.disconnect();
    const b = broker;
    return {
      brokers, registryUrl: registry.url, dir, kafka,
      async stop() {
        await registry.close();
        await b.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
