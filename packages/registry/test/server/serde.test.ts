import avro from 'avsc';
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveRegistry, record } from '../helpers.ts';
import type { Fixture } from '../helpers.ts';

// The client's own Avro serdes, default subject strategy (ASSOCIATED: it asks
// /associations/..., gets our 404 and falls back to `<topic>-value`).
let fx: Fixture;
const newClient = () => new SchemaRegistryClient({ baseURLs: [fx.registry.url], maxRetries: 0 });

beforeAll(async () => {
  fx = await liveRegistry();
});
afterAll(async () => {
  await fx.cleanup();
});

const OLD = record('demo.Warm', [{ name: 'user', type: 'string' }, { name: 'vms', type: 'int' }]);
const NEW = record('demo.Warm', [
  { name: 'user', type: 'string' },
  { name: 'vms', type: 'int' },
  { name: 'pool', type: 'string', default: 'default' },
]);

const serializer = (c: SchemaRegistryClient) =>
  new AvroSerializer(c, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });

describe('AvroSerializer / AvroDeserializer against the embedded registry', () => {
  let oldId = 0;
  let oldBytes: Buffer;

  it('round trip of a record, wire header = 0x00 + big-endian registered id', async () => {
    const c = newClient();
    oldId = await c.register('warm-value', { schemaType: 'AVRO', schema: OLD });
    oldBytes = await serializer(c).serialize('warm', { user: 'ann', vms: 3 });
    expect(oldBytes[0]).toBe(0);
    expect(oldBytes.readInt32BE(1)).toBe(oldId);
    const value: unknown = await new AvroDeserializer(c, SerdeType.VALUE, {}).deserialize('warm', oldBytes);
    expect(value).toEqual({ user: 'ann', vms: 3 });
  });

  it('after the schema evolved: an old message read with the latest schema gets the new field default', async () => {
    const c = newClient();
    const newId = await c.register('warm-value', { schemaType: 'AVRO', schema: NEW });
    expect(newId).not.toBe(oldId);
    const latestReader = new AvroDeserializer(c, SerdeType.VALUE, { useLatestVersion: true });
    expect(await latestReader.deserialize('warm', oldBytes)).toEqual({ user: 'ann', vms: 3, pool: 'default' });
    // and the writer schema alone still decodes it as it was written
    expect(await new AvroDeserializer(c, SerdeType.VALUE, {}).deserialize('warm', oldBytes)).toEqual({ user: 'ann', vms: 3 });
  });

  it('a new-schema message read with the old reader schema (schema resolution)', async () => {
    // A rollback: NEW is registered and used by a producer, then soft-deleted so OLD is the
    // latest again. The deserializer (useLatestVersion) reads with OLD; it also looks the
    // writer schema up in the subject with deleted=true (its migration check), which finds
    // the soft-deleted NEW, exactly as Confluent SR would.
    const c = newClient();
    expect(await c.register('rollback-value', { schemaType: 'AVRO', schema: OLD })).toBe(oldId);
    const newId = await c.register('rollback-value', { schemaType: 'AVRO', schema: NEW });
    const newBytes = await serializer(c).serialize('rollback', { user: 'bob', vms: 7, pool: 'gpu' });
    expect(newBytes.readInt32BE(1)).toBe(newId);
    expect(await c.deleteSubjectVersion('rollback-value', 2)).toBe(2);

    const oldReader = new AvroDeserializer(newClient(), SerdeType.VALUE, { useLatestVersion: true });
    // writer = NEW (fetched by id from the wire), reader = OLD: the field OLD lacks is skipped.
    expect(await oldReader.deserialize('rollback', newBytes)).toEqual({ user: 'bob', vms: 7 });
    // the same resolution done by hand with avsc, writer schema as the registry serves it
    const writer = avro.Type.forSchema(JSON.parse((await c.getBySubjectAndId('rollback-value', newId)).schema) as avro.Schema);
    const reader = avro.Type.forSchema(JSON.parse(OLD) as avro.Schema);
    expect(reader.decode(newBytes, 5, reader.createResolver(writer)).value).toEqual({ user: 'bob', vms: 7 });
  });
});
