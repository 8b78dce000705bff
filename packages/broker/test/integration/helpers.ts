/** Test fixtures: a broker on port 0 in a fresh temp dir, closed and removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type BrokerConfig, type RunningBroker } from '../../src/index.ts';

export interface TestBroker {
  broker: RunningBroker;
  dir: string;
  brokers: string[];
  kafka(clientId?: string): Kafka;
  stop(): Promise<void>;
}

export async function startTestBroker(options: Partial<BrokerConfig> = {}): Promise<TestBroker> {
  const dir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'warmcast-broker-'));
  const broker = await startBroker({
    port: 0, dataDir: dir, groupInitialRebalanceDelayMs: 0,
    logger: pino({ level: process.env['BROKER_TEST_LOG'] ?? 'silent' }),
    ...options,
  });
  const brokers = [`127.0.0.1:${broker.port}`];
  return {
    broker, dir, brokers,
    kafka: (clientId = 'test') => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } }),
    stop: async () => {
      await broker.close();
      if (options.dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** Unique topic names per test (one broker per file, several tests per broker). */
export function topicName(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}`;
}
