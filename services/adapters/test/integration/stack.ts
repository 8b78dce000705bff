// Integration fixtures: embedded broker + registry on port 0 in a fresh temp dir (removed after),
// a client KitService to publish inputs with the real serdes, and a reader that decodes a topic
// from the beginning until a condition holds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { KitService, Topics, catalogue, ensureTopics, parseConfig } from '@warmcast/kit';
import type { KitConfig, TopicName, TopicValues } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export const TOPICS = [Topics.provisionCommandIssued, Topics.provisionCommandApplied, Topics.poolStatusReported, Topics.poolOutcomeReported, Topics.execEventNormalized, Topics.opsDeadletter];

export interface Stack {
  readonly client: KitService;
  config(name: string): KitConfig;
  /** Decoded values of a topic from the beginning, once `until(values)` holds (polls; gives up after 30 s). */
  read<N extends TopicName>(topic: N, until: (values: TopicValues[N][]) => boolean): Promise<TopicValues[N][]>;
  /** Raw bytes straight to a topic (poison input). */
  produceRaw(topic: string, key: string, value: Buffer): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-adapters-'));
  const silent = pino({ level: process.env['ADAPTERS_TEST_LOG'] ?? 'silent' });
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
  const kafka = new Kafka({ clientId: 'adapters-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, catalogue.filter((t) => (TOPICS as string[]).includes(t.name)), { partitionsOverride: 1 });
  await admin.disconnect();
  const config = (name: string): KitConfig => parseConfig({ kafkaBrokers: brokers, registryUrl: registry.url, httpPort: 0, clientId: name, groupId: name, logLevel: 'silent', retryBaseMs: 10, retryMaxMs: 100 });
  const client = new KitService({ config: config('adapters-test-client'), logger: silent, registerTopics: TOPICS });
  await client.start();
  const rawProducer = kafka.producer();
  await rawProducer.connect();
  const b = broker;
  const r = registry;
  return {
    client,
    config,
    async read(topic, until) {
      const codec = client.producer.codec(topic);
      const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
      const values: TopicValues[typeof topic][] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`read ${topic}: condition not met after 30 s; got ${JSON.stringify(values)}`)), 30_000);
          consumer.run({
            eachMessage: async ({ message }) => {
              const d = await codec.decode(message.value);
              if (d.ok) values.push(d.value);
              if (until(values)) { clearTimeout(timer); resolve(); }
            },
          }).catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      return values;
    },
    async produceRaw(topic, key, value) {
      await rawProducer.send({ topic, messages: [{ key, value }] });
    },
    async stop() {
      await rawProducer.disconnect();
      await client.close();
      await r.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
