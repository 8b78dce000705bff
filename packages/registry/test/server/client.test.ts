import { Compatibility, SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRestError, liveRegistry, record } from '../helpers.ts';
import type { Fixture } from '../helpers.ts';

// The UNMODIFIED @confluentinc/schemaregistry 1.10.1 client against a live registry.
let fx: Fixture;
let client: SchemaRegistryClient;
// maxRetries 0: a 5xx must show up as a failure here, not be retried away.
const newClient = () => new SchemaRegistryClient({ baseURLs: [fx.registry.url], maxRetries: 0 });

beforeAll(async () => {
  fx = await liveRegistry();
  client = newClient();
});
afterAll(async () => {
  await fx.cleanup();
});

const V1 = record('demo.Invocation', [{ name: 'user', type: 'string' }, { name: 'ms', type: 'int' }]);
const V2 = record('demo.Invocation', [
  { name: 'user', type: 'string' },
  { name: 'ms', type: 'long' },
  { name: 'region', type: 'string', default: 'eu' },
]);
const INCOMPATIBLE = record('demo.Invocation', [{ name: 'user', type: 'string' }, { name: 'ms', type: 'int' }, { name: 'cpu', type: 'double' }]);

describe('client methods', () => {
  it('register / getId / getBySubjectAndId / metadata / versions / subjects', async () => {
    const id = await client.register('inv-value', { schemaType: 'AVRO', schema: V1 });
    expect(id).toBeGreaterThan(0);
    expect(await client.register('inv-value', { schemaType: 'AVRO', schema: V1 })).toBe(id);
    expect(await newClient().getId('inv-value', { schemaType: 'AVRO', schema: V1 })).toBe(id);
    const byId = await client.getBySubjectAndId('inv-value', id);
    expect(JSON.parse(byId.schema)).toEqual(JSON.parse(V1));
    const latest = await client.getLatestSchemaMetadata('inv-value');
    expect(latest).toMatchObject({ id, version: 1, subject: 'inv-value' });
    expect(await client.getSchemaMetadata('inv-value', 1)).toMatchObject({ id, version: 1 });
    expect(await client.getAllVersions('inv-value')).toEqual([1]);
    expect(await client.getAllSubjects()).toContain('inv-value');
    // the same text under another subject: same id, its own version 1
    expect(await client.register('inv-copy-value', { schemaType: 'AVRO', schema: V1 })).toBe(id);
    expect(await client.getSchemaMetadata('inv-copy-value', 1)).toMatchObject({ id, version: 1 });
  });

  it('error codes surface as RestError status/errorCode', async () => {
    await expectRestError(client.getLatestSchemaMetadata('no-such-subject'), 404, 40401);
    await expectRestError(client.getAllVersions('no-such-subject'), 404, 40401);
    await expectRestError(client.getSchemaMetadata('inv-value', 99), 404, 40402);
    await expectRestError(client.getBySubjectAndId('inv-value', 99_999), 404, 40403);
    await expectRestError(newClient().getId('inv-value', { schemaType: 'AVRO', schema: INCOMPATIBLE }), 404, 40403);
    await expectRestError(client.register('bad-value', { schemaType: 'AVRO', schema: '{"type":"record"}' }), 422, 42201);
    const json = await expectRestError(client.register('bad-value', { schemaType: 'JSON', schema: '{"type":"object"}' }), 422, 42201);
    expect(json.message).toContain('AVRO only');
    await expectRestError(client.updateCompatibility('inv-value', 'SIDEWAYS' as Compatibility), 422, 42203);
  });

  it('compatibility: test, refuse an incompatible change with 409, accept a compatible evolution', async () => {
    expect(await client.testSubjectCompatibility('inv-value', { schemaType: 'AVRO', schema: INCOMPATIBLE })).toBe(false);
    expect(await client.testSubjectCompatibility('inv-value', { schemaType: 'AVRO', schema: V2 })).toBe(true);
    await expectRestError(client.register('inv-value', { schemaType: 'AVRO', schema: INCOMPATIBLE }), 409, 409);
    const id2 = await client.register('inv-value', { schemaType: 'AVRO', schema: V2 });
    expect(await newClient().getLatestSchemaMetadata('inv-value')).toMatchObject({ id: id2, version: 2 });
    expect(await client.getAllVersions('inv-value')).toEqual([1, 2]);
  });

  it('config: 40408 without subject level, update, read back; NONE lets anything in', async () => {
    await expectRestError(client.getCompatibility('cfg-value'), 404, 40408);
    await client.register('cfg-value', { schemaType: 'AVRO', schema: V1 });
    expect(await client.updateCompatibility('cfg-value', Compatibility.NONE)).toBe('NONE');
    expect(await client.getCompatibility('cfg-value')).toBe('NONE');
    expect(await client.getDefaultCompatibility()).toBe('BACKWARD');
    await client.register('cfg-value', { schemaType: 'AVRO', schema: INCOMPATIBLE });
    expect(await client.getAllVersions('cfg-value')).toEqual([1, 2]);
  });

  it('deleteSubjectVersion, deleteSubject soft then permanent', async () => {
    await client.register('del-value', { schemaType: 'AVRO', schema: V1 });
    await client.register('del-value', { schemaType: 'AVRO', schema: V2 });
    expect(await client.deleteSubjectVersion('del-value', 2)).toBe(2);
    await expectRestError(client.getSchemaMetadata('del-value', 2, false), 404, 40402);
    expect(await client.getSchemaMetadata('del-value', 2, true)).toMatchObject({ version: 2 });
    expect(await client.getAllVersions('del-value')).toEqual([1]);
    await expectRestError(client.deleteSubject('del-value', true), 404, 40405);
    expect(await client.deleteSubject('del-value')).toEqual([1]);
    expect(await client.getAllSubjects()).not.toContain('del-value');
    await expectRestError(client.getAllVersions('del-value'), 404, 40401);
    expect(await client.deleteSubject('del-value', true)).toEqual([1, 2]);
    await expectRestError(client.deleteSubject('del-value', true), 404, 40401);
  });
});

describe('raw HTTP details', () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fx.registry.url}${path}`, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as unknown };
  };

  it('content type, /schemas/types, /mode, /livez, /config and unknown routes', async () => {
    expect(await call('GET', '/schemas/types')).toEqual({ status: 200, type: 'application/vnd.schemaregistry.v1+json', body: ['AVRO'] });
    expect((await call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expect((await call('GET', '/livez')).status).toBe(200);
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect(await call('GET', '/associations/resources/-/t?resourceType=topic&associationType=value')).toMatchObject({
      status: 404,
      body: { error_code: 404 },
    });
    expect((await call('GET', '/nope')).status).toBe(404);
  });

  it('?defaultToGlobal, ?verbose, ?deleted, /versions/{v}/schema, /schemas/ids/{id}/versions', async () => {
    expect((await call('GET', '/config/raw-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    const { body } = await call('POST', '/subjects/raw-value/versions', { schema: V1 });
    const id = (body as { id: number }).id;
    const verbose = await call('POST', '/compatibility/subjects/raw-value/versions/latest?verbose=true', { schema: INCOMPATIBLE });
    expect(verbose.body).toMatchObject({ is_compatible: false, messages: [expect.stringContaining('version 1')] });
    expect((await call('GET', '/subjects/raw-value/versions/1/schema')).body).toEqual(JSON.parse(V1));
    expect((await call('GET', `/schemas/ids/${id}/versions`)).body).toContainEqual({ subject: 'raw-value', version: 1 });
    expect((await call('GET', `/schemas/ids/${id}/subjects`)).body).toContain('raw-value');
    expect((await call('DELETE', '/subjects/raw-value')).body).toEqual([1]);
    expect((await call('GET', '/subjects?deleted=true')).body).toContain('raw-value');
    expect((await call('GET', '/subjects')).body).not.toContain('raw-value');
    expect((await call('PUT', '/config/raw-value', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call('DELETE', '/config/raw-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await call('GET', '/config/raw-value')).body).toMatchObject({ error_code: 40408 });
    expect((await call('GET', '/subjects/raw-value/versions/abc')).body).toMatchObject({ error_code: 42202 });
    expect((await call('POST', '/subjects/raw-value/versions', { schemaType: 'PROTOBUF', schema: 'x' })).status).toBe(422);
  });
});

describe('concurrency', () => {
  it('20 concurrent registrations of different schemas get 20 distinct, consecutive ids', async () => {
    // one client per call: a single client serialises its own register calls behind a mutex
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, k) => newClient().register(`conc-${k}-value`, { schemaType: 'AVRO', schema: record(`c.R${k}`, [{ name: 'f', type: 'int' }]) })),
    );
    const sorted = [...ids].sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(20);
    expect((sorted[19] ?? 0) - (sorted[0] ?? 0)).toBe(19);
  });
});
