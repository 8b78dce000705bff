// Reads a catalogued topic from the beginning with kafkajs + the kit's ValueCodec until `count`
// messages arrived (or the deadline passed, then returns what it has).
import type { Kafka } from 'kafkajs';
import { ValueCodec, createRegistryClient, topicSpec } from '@warmcast/kit';
import type { TopicName, TopicValues } from '@warmcast/kit';

export interface Read<V> { readonly key: string | null; readonly value: V; readonly raw: Buffer }

export async function readTopic<N extends TopicName>(kafka: Kafka, registryUrl: string, topic: N, count: number, deadlineMs = 30_000): Promise<Read<TopicValues[N]>[]> {
  const codec = new ValueCodec<TopicValues[N]>(createRegistryClient(registryUrl), topic, topicSpec(topic).schemaText);
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  const out: Read<TopicValues[N]>[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => { done = r; });
  if (count === 0) done();
  await consumer.run({
    eachMessage: async ({ message }) => {
      const d = await codec.decode(message.value);
      if (!d.ok) throw new Error(d.text);
      out.push({ key: message.key?.toString('utf8') ?? null, value: d.value, raw: message.value ?? Buffer.alloc(0) });
      if (out.length >= count) done();
    },
  });
  const timer = setTimeout(done, deadlineMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return out;
}
