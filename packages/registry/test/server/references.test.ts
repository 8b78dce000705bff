import { AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRestError, liveRegistry } from '../helpers.ts';
import type { Fixture } from '../helpers.ts';

// Schema references: a named type defined under one subject, used by a schema in another.
let fx: Fixture;
beforeAll(async () => {
  fx = await liveRegistry();
});
afterAll(async () => {
  await fx.cleanup();
});

const ADDRESS = JSON.stringify({ type: 'record', name: 'Address', namespace: 'demo', fields: [{ name: 'city', type: 'string' }] });
const USER = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'demo',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'home', type: 'demo.Address' },
  ],
});

describe('references through the client and its serdes', () => {
  it('register with references, read them back, round-trip a record, refuse deleting the referenced version', async () => {
    const c = new SchemaRegistryClient({ baseURLs: [fx.registry.url], maxRetries: 0 });
    await c.register('demo.Address', { schemaType: 'AVRO', schema: ADDRESS });
    const references = [{ name: 'demo.Address', subject: 'demo.Address', version: 1 }];
    const id = await c.register('people-value', { schemaType: 'AVRO', schema: USER, references });
    expect((await c.getLatestSchemaMetadata('people-value')).references).toEqual(references);
    expect((await c.getBySubjectAndId('people-value', id)).references).toEqual(references);
    // without the reference the named type is unknown: invalid schema
    await expectRestError(c.register('people2-value', { schemaType: 'AVRO', schema: USER }), 422, 42201);

    const ser = new AvroSerializer(c, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
    const bytes = await ser.serialize('people', { name: 'ann', home: { city: 'Oslo' } });
    expect(bytes.readInt32BE(1)).toBe(id);
    const de = new AvroDeserializer(new SchemaRegistryClient({ baseURLs: [fx.registry.url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await de.deserialize('people', bytes)).toEqual({ name: 'ann', home: { city: 'Oslo' } });

    await expectRestError(c.deleteSubjectVersion('demo.Address', 1), 422, 42206);
  });
});
