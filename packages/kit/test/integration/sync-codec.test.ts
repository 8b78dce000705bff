// The synchronous codec paths against the real embedded registry (HTTP): encodeSync writes
// exactly AvroSerializer's bytes, decodeSync answers without waiting once a writer id is
// known, a new latest version is picked up on refresh, and evolution still resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AvroSerializer, SerdeType, SubjectNameStrategyType } from '@confluentinc/schemaregistry';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { fixtures } from './fixtures.ts';
import { catalogue, topicSpec } from '../../src/topics.ts';
import { Topics } from '../../src/generated/catalogue.ts';
import type { TopicName } from '../../src/generated/catalogue.ts';
import { createRegistryClient, registerSchemas } from '../../src/serde/registry.ts';
import { ValueCodec } from '../../src/serde/value-codec.ts';
import type { Guard } from '../../src/breaker.ts';

let dir: string;
let registry: RunningRegistry;
let client: SchemaRegistryClient;
let ids: Map<string, number>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-kit-codec-'));
  registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: dir, logger: pino({ level: 'silent' }) });
  client = createRegistryClient(registry.url);
  ids = await registerSchemas(client, catalogue);
});
afterAll(async () => {
  await registry?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const codecOf = (topic: string, readerText = topicSpec(topic as TopicName).schemaText, now?: () => number): ValueCodec<Record<string, unknown>, object> =>
  new ValueCodec<Record<string, unknown>, object>(createRegistryClient(registry.url), topic, readerText, undefined, now === undefined ? {} : { now });

describe('encodeSync', () => {
  it.each(catalogue.map((t) => [t.name as TopicName]))('%s: same bytes as AvroSerializer, and decodes back', async (topic) => {
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false, subjectNameStrategyType: SubjectNameStrategyType.TOPIC });
    const value = fixtures[topic].value;
    const old = await serializer.serialize(topic, value);
    const codec = codecOf(topic);
    await codec.prepare();
    const bytes = codec.encodeSync(value as never);
    expect(bytes.equals(old)).toBe(true);
    expect(bytes.readInt32BE(1)).toBe(ids.get(`${topic}-value`));
    expect((await codec.encode(value as never)).equals(old)).toBe(true);
    const back = await codec.decode(bytes);
    expect(back.ok && { ...back.value }).toEqual(value);
  });

  it('refuses before prepare() (SHUTDOWN) and a value that does not match (ENCODE_FAILED, not retriable)', async () => {
    const codec = codecOf(Topics.poolStatusReported);
    expect(() => codec.encodeSync(fixtures[Topics.poolStatusReported].value)).toThrow(expect.objectContaining({ code: 'SHUTDOWN' }));
    await codec.prepare();
    await codec.prepare(); // idempotent
    expect(() => codec.encodeSync({ poolId: 'p' })).toThrow(expect.objectContaining({ code: 'ENCODE_FAILED', retriable: false }));
    await expect(codec.encode({ poolId: 'p' })).rejects.toMatchObject({ code: 'ENCODE_FAILED', retriable: false });
  });

  it('prepare() on a subject that was never registered: REGISTRY_UNAVAILABLE (404, retriable), and a later prepare() retries', async () => {
    const codec = codecOf('nobody.registered.this.v1', topicSpec(Topics.poolStatusReported).schemaText);
    await expect(codec.prepare()).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
    await expect(codec.encode(fixtures[Topics.poolStatusReported].value)).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect(codec.prepared).toBe(false);
  });

  it('a thousand values in a row each decode to their own requestId (slabs are not overwritten)', async () => {
    const codec = codecOf(Topics.execRequestReceived);
    await codec.prepare();
    const base = fixtures[Topics.execRequestReceived].value;
    const out = Array.from({ length: 1000 }, (_, i) => codec.encodeSync({ ...base, requestId: `r-${i}`, sourceText: 'x'.repeat(i * 7) }));
    await codec.decode(out[0] ?? null);
    expect(out.map((b) => { const d = codec.decodeSync(b); return d?.ok === true ? d.value['requestId'] : d; })).toEqual(out.map((_, i) => `r-${i}`));
  });
});

describe('decodeSync', () => {
  it('is undefined until decode() looked the writer id up, then gives what decode() gives', async () => {
    const topic = Topics.execMetricsReported;
    const writer = codecOf(topic);
    const bytes = await writer.encode(fixtures[topic].value);
    const reader = codecOf(topic);
    expect(reader.decodeSync(bytes)).toBeUndefined();
    const awaited = await reader.decode(bytes);
    const sync = reader.decodeSync(bytes);
    expect(awaited).toMatchObject({ ok: true, schemaId: ids.get(`${topic}-value`) });
    expect(sync).toEqual(awaited);
  });

  it('undecodable bytes: the same codes and texts from decodeSync and decode', async () => {
    const topic = Topics.execMetricsReported;
    const codec = codecOf(topic);
    const good = await codec.encode(fixtures[topic].value);
    await codec.decode(good);
    const truncated = good.subarray(0, good.length - 3);
    const trailing = Buffer.concat([good, Buffer.from([1, 2])]);
    const cases: [string, Buffer | null][] = [['tombstone', null], ['empty', Buffer.alloc(0)], ['json', Buffer.from('{"a":1}')], ['truncated', truncated], ['trailing', trailing]];
    for (const [name, bytes] of cases) {
      const sync = codec.decodeSync(bytes);
      expect(sync, name).toMatchObject({ ok: false, code: 'DECODE_FAILED', retriable: false });
      expect(await codec.decode(bytes), name).toEqual(sync);
    }
    const unknown = Buffer.from(good);
    unknown.writeInt32BE(987_654, 1);
    expect(codec.decodeSync(unknown)).toBeUndefined();
    expect(await codec.decode(unknown)).toMatchObject({ ok: false, code: 'UNKNOWN_SCHEMA_ID', retriable: false });
    expect(codec.decodeSync(unknown)).toBeUndefined(); // a 404 is not cached: the id may appear later
  });

  it('a writer schema id that cannot be read as this subject: DECODE_FAILED, then known to decodeSync', async () => {
    const otherId = await client.register('unrelated-value', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'Unrelated', fields: [{ name: 'x', type: 'boolean' }] }) });
    const codec = codecOf(Topics.execMetricsReported);
    const bytes = Buffer.from([0, 0, 0, 0, 0, 1]);
    bytes.writeInt32BE(otherId, 1);
    const awaited = await codec.decode(bytes);
    expect(awaited).toMatchObject({ ok: false, code: 'DECODE_FAILED', retriable: false, text: expect.stringContaining('cannot be read') });
    expect(codec.decodeSync(bytes)).toEqual(awaited);
  });
});

describe('schema versions', () => {
  const topic = Topics.execRequestReceived;
  const v1 = topicSpec(topic);
  const s = JSON.parse(v1.schemaText) as { fields: object[] };
  const v2Text = JSON.stringify({ ...s, fields: [...s.fields, { name: 'region', type: 'string', default: 'unknown' }] });

  it('a version registered mid-run is used after the 300 s refresh, not before; old and new readers decode both on the sync path', async () => {
    let nowMs = 1_000_000;
    const producer = codecOf(topic, v1.schemaText, () => nowMs);
    await producer.prepare();
    const v1Id = ids.get(`${topic}-value`);
    expect(producer.writerSchemaId).toBe(v1Id);
    const m1 = producer.encodeSync({ ...fixtures[topic].value, requestId: 'old' });

    const [v2Id] = [...(await registerSchemas(client, [{ ...v1, schemaText: v2Text }])).values()];
    expect(v2Id).not.toBe(v1Id);

    nowMs += 299_999;
    producer.refreshIfStale();
    await producer.settled();
    expect(producer.encodeSync(fixtures[topic].value).readInt32BE(1)).toBe(v1Id); // not yet: no lookup per message

    nowMs += 1;
    const during = await producer.encode({ ...fixtures[topic].value, requestId: 'during' }); // starts the refresh, does not wait for it
    expect(during.readInt32BE(1)).toBe(v1Id);
    await producer.settled();
    const m2 = producer.encodeSync({ ...fixtures[topic].value, requestId: 'new', region: 'eu-west-1' });
    expect(m2.readInt32BE(1)).toBe(v2Id);

    const newReader = codecOf(topic, v2Text);
    const oldReader = codecOf(topic, v1.schemaText);
    for (const r of [newReader, oldReader]) { await r.decode(m1); await r.decode(m2); }
    const n1 = newReader.decodeSync(m1);
    const n2 = newReader.decodeSync(m2);
    const o2 = oldReader.decodeSync(m2);
    expect(n1).toMatchObject({ ok: true, schemaId: v1Id, value: { requestId: 'old', region: 'unknown' } }); // default filled
    expect(n2).toMatchObject({ ok: true, schemaId: v2Id, value: { requestId: 'new', region: 'eu-west-1' } });
    expect(o2).toMatchObject({ ok: true, schemaId: v2Id, value: { requestId: 'new' } });
    if (o2?.ok === true) expect(o2.value).not.toHaveProperty('region');
  });

  it('concurrent prepare() calls share one lookup; a failed refresh keeps the schema and is retried 30 s later, not sooner', async () => {
    let nowMs = 0;
    let lookups = 0;
    let down = false;
    const guard: Guard = (call) => { lookups += 1; return down ? Promise.reject(new Error('ECONNREFUSED')) : call(); };
    const codec = new ValueCodec<Record<string, unknown>, object>(createRegistryClient(registry.url), Topics.poolStatusReported, topicSpec(Topics.poolStatusReported).schemaText, guard, { now: () => nowMs });
    await Promise.all([codec.prepare(), codec.prepare(), codec.encode(fixtures[Topics.poolStatusReported].value)]);
    expect(lookups).toBe(1);
    const id = codec.writerSchemaId;

    down = true;
    nowMs = 300_000;
    codec.refreshIfStale();
    codec.refreshIfStale(); // one re-read at a time
    await codec.settled();
    expect(lookups).toBe(2);
    expect(codec.encodeSync(fixtures[Topics.poolStatusReported].value).readInt32BE(1)).toBe(id);

    nowMs += 29_999;
    codec.refreshIfStale();
    await codec.settled();
    expect(lookups).toBe(2);
    down = false;
    nowMs += 1;
    codec.refreshIfStale();
    await codec.settled();
    expect(lookups).toBe(3);
    expect(codec.writerSchemaId).toBe(id);
  });
});
