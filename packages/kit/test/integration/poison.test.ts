// A poison message in the middle of a partition is dead-lettered with its original bytes,
// source position and reason, and every message after it is processed. Also: a transient
// handler failure is retried with backoff and then succeeds; a programmer error and an
// exhausted retriable error are dead-lettered; offsets end committed past the last message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { fixtures } from './fixtures.ts';
import { catalogue } from '../../src/topics.ts';
import { Topics } from '../../src/generated/catalogue.ts';
import type { DeadLetter } from '../../src/generated/types.ts';
import { createRegistryClient, registerSchemas } from '../../src/serde/registry.ts';
import { TypedProducer } from '../../src/producer.ts';
import { ConsumerLoop } from '../../src/consumer/loop.ts';
import { WarmcastError } from '../../src/errors.ts';
import { createMetrics } from '../../src/metrics.ts';

const topic = Topics.execMetricsReported;
const log = pino({ level: 'silent' });
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.createTopics([topic, Topics.opsDeadletter]);
});
afterAll(async () => { await stack?.stop(); });

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => { if (check()) { clearInterval(t); resolve(); } }, 20);
  });
}

describe('poison messages', () => {
  it('dead-letters what can never succeed and processes everything after it, in order', async () => {
    const registry = createRegistryClient(stack.registryUrl);
    await registerSchemas(registry, catalogue);
    const metrics = createMetrics();
    const producer = new TypedProducer({ producer: stack.kafka('poison-p').producer({ idempotent: true }), registry, metrics });
    await producer.start();
    const good = (i: number) => ({ key: `user-${i}`, value: { ...fixtures[topic].value, requestId: `m${i}` } });

    const garbage = Buffer.from('{"requestId":"m4"}'); // JSON, not Confluent-framed Avro
    const unknownId = Buffer.concat([Buffer.from([0, 0, 0, 0x27, 0x0f]), Buffer.from([2, 0x41])]); // magic 0, id 9999
    await producer.send(topic, [0, 1, 2, 3].map(good));
    const raw = stack.kafka('poison-raw').producer();
    await raw.connect();
    await raw.send({ topic, messages: [{ key: 'user-4', value: garbage, headers: { origin: 'legacy-producer', trace: ['t1', 't2'] } }] });
    await producer.send(topic, [good(5)]);
    await raw.send({ topic, messages: [{ key: null, value: unknownId }] });
    await raw.disconnect();
    await producer.send(topic, [7, 8, 9, 10, 11].map(good));

    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const sleeps: number[] = [];
    const loop = new ConsumerLoop({
      consumer: stack.kafka('poison-c').consumer({ groupId: 'poison' }), topic, producer, log, service: 'poison-test', metrics,
      policy: { maxAttempts: 3, baseMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
      clock: { now: () => 1_763_900_000_000, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0 },
      handler: async (m) => {
        const id = m.value.requestId;
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        if (id === 'm5' && n < 3) throw new WarmcastError('HANDLER_TRANSIENT', 'sink busy');
        if (id === 'm7') throw new TypeError("Cannot read properties of undefined (reading 'x')");
        if (id === 'm8') throw new WarmcastError('TIMEOUT', 'clickhouse insert timed out');
        handled.push(id);
      },
    });
    const dead: DeadLetter[] = [];
    const dlq = new ConsumerLoop({ consumer: stack.kafka('poison-dlq').consumer({ groupId: 'poison-dlq' }), topic: Topics.opsDeadletter, producer, log, service: 'dlq-reader', handler: async (m) => { dead.push(m.value); } });
    await loop.start();
    await dlq.start();
    await until(() => handled.length === 8 && dead.length === 4);

    expect(handled).toEqual(['m0', 'm1', 'm2', 'm3', 'm5', 'm9', 'm10', 'm11']);
    expect(attempts.get('m5')).toBe(3);
    expect(attempts.get('m7')).toBe(1); // programmer error: never retried
    expect(attempts.get('m8')).toBe(3);
    expect(sleeps).toEqual([100, 200, 100, 200]); // m5: 2 retries, m8: 2 retries then give up

    expect(dead.map((d) => [d.sourceTopic, d.sourcePartition, d.sourceOffset, d.reasonCode, d.attempts, d.service])).toEqual([
      [topic, 0, 4, 'DECODE_FAILED', 1, 'poison-test'],
      [topic, 0, 6, 'UNKNOWN_SCHEMA_ID', 1, 'poison-test'],
      [topic, 0, 7, 'HANDLER_FAILED', 1, 'poison-test'],
      [topic, 0, 8, 'RETRIES_EXHAUSTED', 3, 'poison-test'],
    ]);
    const [d4, d6, d7] = dead;
    expect(d4?.value).toEqual(garbage);
    expect(d4?.key).toEqual(Buffer.from('user-4'));
    expect(d4?.headers).toEqual([{ key: 'origin', value: Buffer.from('legacy-producer') }, { key: 'trace', value: Buffer.from('t1') }, { key: 'trace', value: Buffer.from('t2') }]);
    expect(d4?.reasonText).toMatch(/not Confluent wire format/);
    expect(d6?.value).toEqual(unknownId);
    expect(d6?.key).toBeNull();
    expect(d6?.reasonText).toMatch(/schema id 9999/);
    expect(d7?.reasonText).toMatch(/TypeError/);
    expect((await (await producer.codec(topic).decode(d7?.value ?? null)))).toMatchObject({ ok: true, value: { requestId: 'm7' } }); // original bytes still decode

    await dlq.close();
    await loop.close();
    const admin = stack.kafka('poison-admin').admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'poison', topics: [topic] });
    await admin.disconnect();
    expect(offsets[0]?.partitions).toEqual([{ partition: 0, offset: '12', metadata: null }]);

    const text = await metrics.registry.metrics();
    expect(text).toContain(`warmcast_messages_deadlettered_total{topic="${topic}",reason="DECODE_FAILED"} 1`);
    expect(text).toContain(`warmcast_messages_consumed_total{topic="${topic}"} 8`);
    expect(text).toContain(`warmcast_handler_retries_total{topic="${topic}"} 4`);
    await producer.close();
  });
});
