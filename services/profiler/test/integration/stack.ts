// Integration fixtures: the embedded broker and registry on port 0 in a fresh temp dir, the
// catalogue's topics with `partitions` partitions each, schemas registered, and helpers to
// publish normalized events and read a topic back. Cleaned up by stop().
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { TypedProducer, createRegistryClient, parseConfig, Topics } from '@warmcast/kit';
import type { KitConfig, NormalizedEvent, TopicName, TopicValues } from '@warmcast/kit';
import { startEmbedded } from '@warmcast/testkit';

const { Partitioners } = kafkajs;

export interface Stack {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly dir: string;
  kafka(clientId?: string): KafkaT;
  config(clientId: string, groupId: string): KitConfig;
  publish(events: readonly NormalizedEvent[]): Promise<void>;
  readAll<N extends TopicName>(topic: N, expectAtLeast: number): Promise<TopicValues[N][]>;
  stop(): Promise<void>;
}

export async function startStack(partitions: number): Promise<Stack> {
  const infra = await startEmbedded({ name: 'profiler', partitions, registerSchemas: true });
  const { dir, brokers, kafka, registryUrl } = infra;
  const client = createRegistryClient(registryUrl);
  const producer = new TypedProducer({ producer: kafka('profiler-test-producer').producer({ createPartitioner: Partitioners.DefaultPartitioner }), registry: client });
  await producer.start();
  return {
    brokers, registryUrl, dir, kafka,
    config: (clientId, groupId) => parseConfig({ kafkaBrokers: brokers, registryUrl, clientId, groupId, httpPort: 0, logLevel: 'silent' }),
    async publish(events) {
      for (let i = 0; i < events.length; i += 500) await producer.send(Topics.execEventNormalized, events.slice(i, i + 500).map((e) => ({ key: e.userKey, value: e })));
    },
    async readAll(topic, expectAtLeast) {
      const codec = producer.codec(topic);
      const out: TopicValues[typeof topic][] = [];
      const consumer = kafka('profiler-test-reader').consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const a = kafka('profiler-test-admin').admin();
      await a.connect();
      const ends = await a.fetchTopicOffsets(topic);
      await a.disconnect();
      const total = ends.reduce((s, e) => s + Number(e.high), 0);
      if (total < expectAtLeast) throw new Error(`${topic}: ${total} records, expected at least ${expectAtLeast}`);
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        if (total === 0) { resolve(); return; }
        consumer.run({
          eachMessage: async ({ message }) => {
            const d = await codec.decode(message.value);
            if (!d.ok) throw new Error(d.text);
            out.push(d.value);
            if (++seen >= total) resolve();
          },
        }).catch(reject);
      });
      await consumer.disconnect();
      return out;
    },
    async stop() {
      await producer.close();
      await infra.stop();
    },
  };
}

/** JSON with object keys sorted: decoded Avro records and core objects compare by content. */
export function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** Forecasts keyed by (userKey, tickTime); duplicates must be equal (at-least-once). */
export function forecastSet(values: readonly { readonly userKey: string; readonly tickTime: number }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of values) {
    const k = `${f.userKey}@${f.tickTime}`;
    const v = canonical(f);
    const prev = out.get(k);
    if (prev !== undefined && prev !== v) throw new Error(`duplicate forecast ${k} with different content`);
    out.set(k, v);
  }
  return out;
}
