// Schema evolution against the embedded registry (BACKWARD, its default):
// - an incompatible change (new field without a default) is refused with HTTP 409 and
//   surfaces as SCHEMA_INCOMPATIBLE, not retriable;
// - a compatible one (new field with a default) registers, and messages written with either
//   version are read by old consumers (v1 reader: the new field is dropped) and new ones
//   (v2 reader: the default fills old messages).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestError } from '@confluentinc/schemaregistry';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { fixtures } from './fixtures.ts';
import { topicSpec } from '../../src/topics.ts';
import { Topics } from '../../src/generated/catalogue.ts';
import { createRegistryClient, registerSchemas } from '../../src/serde/registry.ts';
import { ValueCodec } from '../../src/serde/value-codec.ts';
import { TypedProducer } from '../../src/producer.ts';
import { WarmcastError } from '../../src/errors.ts';

const topic = Topics.execRequestReceived;
const v1 = topicSpec(topic);
const withField = (field: object): string => {
  const s = JSON.parse(v1.schemaText) as { fields: object[] };
  return JSON.stringify({ ...s, fields: [...s.fields, field] });
};
const v2Text = withField({ name: 'region', type: 'string', default: 'unknown', doc: 'Cloud region the request was served in.' });
const badText = withField({ name: 'region', type: 'string', doc: 'no default: old messages cannot be read' });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.createTopics([topic]);
});
afterAll(async () => { await stack?.stop(); });

async function readAll(n: number): Promise<Buffer[]> {
  const consumer = stack.kafka('evo-reader').consumer({ groupId: `evo-${n}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const out: Buffer[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => { out.push(message.value ?? Buffer.alloc(0)); if (out.length === n) resolve(); } });
  });
  await consumer.disconnect();
  return out;
}

describe('schema evolution', () => {
  it('refuses an incompatible change with 409 and accepts a compatible one; old and new consumers read both', async () => {
    const client = createRegistryClient(stack.registryUrl);
    const [v1Id] = [...(await registerSchemas(client, [v1])).values()];

    // A v1 producer writes m1.
    const oldProducer = new TypedProducer({ producer: stack.kafka('evo-old').producer(), registry: client });
    await oldProducer.start();
    await oldProducer.send(topic, [{ key: 'user-1', value: fixtures[topic].value }]);
    await oldProducer.close();

    // Incompatible: refused with 409, mapped to a non-retriable SCHEMA_INCOMPATIBLE.
    let refused: unknown;
    try { await registerSchemas(client, [{ ...v1, schemaText: badText }]); } catch (err) { refused = err; }
    expect(refused).toBeInstanceOf(WarmcastError);
    expect(refused).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', retriable: false });
    expect((refused as WarmcastError).cause).toBeInstanceOf(RestError);
    expect(((refused as WarmcastError).cause as RestError).status).toBe(409);

    // Compatible: registered as a new version.
    const [v2Id] = [...(await registerSchemas(client, [{ ...v1, schemaText: v2Text }])).values()];
    expect(v2Id).not.toBe(v1Id);

    // A v2 producer (fresh client, so "latest" is v2) writes m2 with the new field set.
    const newClient = createRegistryClient(stack.registryUrl);
    const newCodec = new ValueCodec<Record<string, unknown>>(newClient, topic, v2Text);
    const m2 = await newCodec.encode({ ...fixtures[topic].value, requestId: 'req-2', region: 'us-east-1' });
    expect(m2.readInt32BE(1)).toBe(v2Id);
    const raw = stack.kafka('evo-new').producer();
    await raw.connect();
    await raw.send({ topic, messages: [{ key: 'user-1', value: m2 }] });
    await raw.disconnect();

    const [b1, b2] = await readAll(2);
    expect(b1?.readInt32BE(1)).toBe(v1Id);

    const oldReader = new ValueCodec<Record<string, unknown>>(createRegistryClient(stack.registryUrl), topic, v1.schemaText);
    const old1 = await oldReader.decode(b1 ?? null);
    const old2 = await oldReader.decode(b2 ?? null);
    expect(old1).toMatchObject({ ok: true, schemaId: v1Id, value: { requestId: 'req-1' } });
    expect(old2).toMatchObject({ ok: true, schemaId: v2Id, value: { requestId: 'req-2' } });
    if (old2.ok) expect(old2.value).not.toHaveProperty('region');

    const new1 = await newCodec.decode(b1 ?? null);
    const new2 = await newCodec.decode(b2 ?? null);
    expect(new1).toMatchObject({ ok: true, value: { requestId: 'req-1', region: 'unknown' } });
    expect(new2).toMatchObject({ ok: true, value: { requestId: 'req-2', region: 'us-east-1' } });
  });
});
