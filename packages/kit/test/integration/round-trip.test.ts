// Every catalogued schema through the typed producer and the consumer loop on the embedded
// broker and registry: what comes out equals what went in (defaults included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { fixtures } from './fixtures.ts';
import { catalogue } from '../../src/topics.ts';
import type { TopicName } from '../../src/generated/catalogue.ts';
import { createRegistryClient, registerSchemas } from '../../src/serde/registry.ts';
import { TypedProducer } from '../../src/producer.ts';
import { ConsumerLoop } from '../../src/consumer/loop.ts';
import type { IncomingMessage } from '../../src/consumer/loop.ts';
import { createMetrics } from '../../src/metrics.ts';

let stack: Stack;
let registry: SchemaRegistryClient;
let producer: TypedProducer;
const metrics = createMetrics();
const log = pino({ level: 'silent' });

beforeAll(async () => {
  stack = await startStack();
  await stack.createTopics();
  registry = createRegistryClient(stack.registryUrl);
  const ids = await registerSchemas(registry, catalogue);
  expect(ids.size).toBe(catalogue.length);
  producer = new TypedProducer({ producer: stack.kafka('rt-producer').producer(), registry, metrics });
  await producer.start();
});

afterAll(async () => {
  await producer?.close();
  await stack?.stop();
});

describe('round trip of every schema', () => {
  it.each(catalogue.map((t) => [t.name as TopicName]))('%s', async (topic) => {
    const fixture = fixtures[topic];
    await producer.send(topic, [{ key: fixture.key, value: fixture.value as never, headers: { trace: 'abc' } }]);
    let resolve: (m: IncomingMessage<TopicName>) => void = () => {};
    const got = new Promise<IncomingMessage<TopicName>>((r) => { resolve = r; });
    const loop = new ConsumerLoop({ consumer: stack.kafka('rt-consumer').consumer({ groupId: `rt-${topic}` }), topic, producer, log, service: 'kit-test', metrics, handler: async (m) => { resolve(m); } });
    await loop.start();
    const m = await got;
    await loop.close();
    expect(m.key).toBe(fixture.key);
    expect(m.headers?.['trace']?.toString()).toBe('abc');
    expect({ ...m.value }).toEqual(fixture.value);
  });

  it('counted produced and consumed messages per topic', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('warmcast_messages_produced_total{topic="exec.request.received.v1"} 1');
    expect(text).toContain('warmcast_messages_consumed_total{topic="ops.deadletter.v1"} 1');
  });

  it('refuses a value that does not match the schema (ENCODE_FAILED), sending nothing', async () => {
    await expect(producer.send('pool.status.reported.v1', [{ key: 'p', value: { poolId: 'p' } as never }])).rejects.toMatchObject({ code: 'ENCODE_FAILED', retriable: false });
  });
});
