// Integration fixtures: embedded broker + registry on port 0 in a fresh temp dir (removed after),
// a client KitService to publish inputs with the real serdes, and a reader that decodes a topic
// from the beginning until a condition holds.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { KitService, Topics } from '@warmcast/kit';
import type { KitConfig, TopicName, TopicValues } from '@warmcast/kit';
import { startEmbedded } from '@warmcast/testkit';

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
  const silent = pino({ level: process.env['ADAPTERS_TEST_LOG'] ?? 'silent' });
  const infra = await startEmbedded({ name: 'adapters', topics: TOPICS, ...(process.env['ADAPTERS_TEST_LOG'] === undefined ? {} : { logLevel: process.env['ADAPTERS_TEST_LOG'] }) });
  const kafka = infra.kafka('adapters-test');
  const config = (name: string): KitConfig => infra.config(name);
  const client = new KitService({ config: config('adapters-test-client'), logger: silent, registerTopics: TOPICS });
  await client.start();
  const rawProducer = kafka.producer();
  await rawProducer.connect();
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
      await infra.stop();
    },
  };
}
