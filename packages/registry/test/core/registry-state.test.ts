import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  decideClearCompatibility,
  decideDeleteSubject,
  decideDeleteVersion,
  decideRegister,
  decideSetCompatibility,
  emptyState,
  getCompatibility,
  getVersion,
  listSubjects,
  listVersions,
  lookupSchema,
  testCompatibility,
} from '../../src/core/index.ts';
import type { Decision, RegistryEvent, RegistryState, Result } from '../../src/core/index.ts';

const NOW = 1_700_000_000_000;
const rec = (fields: unknown[], name = 'R') => ({ schema: JSON.stringify({ type: 'record', name, fields }) });
const V1 = rec([{ name: 'a', type: 'int' }]);
const V2 = rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'x' }]);
const BAD = rec([{ name: 'a', type: 'int' }, { name: 'c', type: 'string' }]);

/** Applies a decision the way the shell does (after the journal write) and returns its reply. */
function run(state: RegistryState, d: Result<Decision>, log?: RegistryEvent[]): unknown {
  if (!d.ok) throw new Error(`unexpected ${d.error.errorCode}: ${d.error.message}`);
  for (const e of d.value.events) {
    applyEvent(state, e);
    log?.push(e);
  }
  return d.value.reply;
}
function code(r: Result<unknown>): number | 'ok' {
  return r.ok ? 'ok' : r.error.errorCode;
}

describe('registration and identity', () => {
  it('ids are global, same text in another subject shares the id, versions start at 1 per subject', () => {
    const s = emptyState();
    expect(run(s, decideRegister(s, 'a-value', V1, false, NOW))).toMatchObject({ id: 1, version: 1 });
    expect(run(s, decideRegister(s, 'a-value', V2, false, NOW))).toMatchObject({ id: 2, version: 2 });
    expect(run(s, decideRegister(s, 'b-value', V2, false, NOW))).toMatchObject({ id: 2, version: 1 });
  });

  it('re-registering the same schema (whitespace aside) returns the existing id and version, no events', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'a', V1, false, NOW));
    const d = decideRegister(s, 'a', { schema: ' { "type" : "record", "name":"R", "fields":[{"name":"a","type":"int"}]}' }, false, NOW);
    expect(d.ok && d.value.events).toEqual([]);
    expect(d.ok && d.value.reply).toMatchObject({ id: 1, version: 1 });
  });

  it('a schema differing only in a default or doc is a different schema (not avsc fingerprint identity)', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'a', V2, false, NOW));
    const other = rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'y' }]);
    expect(run(s, decideRegister(s, 'a', other, false, NOW))).toMatchObject({ id: 2, version: 2 });
  });

  it('normalize=true makes "string" and {"type":"string"} one schema', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'n', { schema: '"string"' }, true, NOW));
    expect(run(s, decideRegister(s, 'n', { schema: '{"type":"string"}' }, true, NOW))).toMatchObject({ id: 1, version: 1 });
  });

  it('invalid schemas are 42201: bad JSON, bad Avro, bad default, non-AVRO types', () => {
    const s = emptyState();
    expect(code(decideRegister(s, 'x', { schema: '{nope' }, false, NOW))).toBe(42201);
    expect(code(decideRegister(s, 'x', { schema: '{"type":"record","name":"R"}' }, false, NOW))).toBe(42201);
    expect(code(decideRegister(s, 'x', rec([{ name: 'a', type: ['null', 'string'], default: 'x' }]), false, NOW))).toBe(42201);
    const json = decideRegister(s, 'x', { schemaType: 'JSON', schema: '{}' }, false, NOW);
    expect(code(json)).toBe(42201);
    expect(!json.ok && json.error.message).toContain('AVRO only');
    expect(code(decideRegister(s, 'x', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' }, false, NOW))).toBe(42201);
  });

  it('an incompatible change is 409 under BACKWARD, accepted after the subject is set to NONE', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'a', V1, false, NOW));
    const d = decideRegister(s, 'a', BAD, false, NOW);
    expect(code(d)).toBe(409);
    expect(!d.ok && d.error.httpStatus).toBe(409);
    run(s, decideSetCompatibility(s, 'a', { compatibility: 'NONE' }, NOW));
    expect(run(s, decideRegister(s, 'a', BAD, false, NOW))).toMatchObject({ version: 2 });
    expect(getCompatibility(s, 'a', false)).toEqual({ ok: true, value: { compatibilityLevel: 'NONE' } });
    run(s, decideClearCompatibility(s, 'a', NOW));
    expect(code(getCompatibility(s, 'a', false))).toBe(40408);
    expect(getCompatibility(s, 'a', true)).toEqual({ ok: true, value: { compatibilityLevel: 'BACKWARD' } });
    expect(code(decideSetCompatibility(s, 'a', { compatibility: 'SIDEWAYS' }, NOW))).toBe(42203);
  });

  it('references: a record type from another subject resolves by name', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'addr', { schema: JSON.stringify({ type: 'record', name: 'x.Address', fields: [{ name: 'city', type: 'string' }] }) }, false, NOW));
    const main = { schema: JSON.stringify({ type: 'record', name: 'x.User', fields: [{ name: 'home', type: 'x.Address' }] }), references: [{ name: 'x.Address', subject: 'addr', version: 1 }] };
    expect(run(s, decideRegister(s, 'user', main, false, NOW))).toMatchObject({ id: 2, version: 1 });
    expect(getVersion(s, 'user', 'latest', false)).toMatchObject({ ok: true, value: { references: main.references } });
    expect(code(decideRegister(s, 'user2', { ...main, references: [{ name: 'x.Address', subject: 'addr', version: 9 }] }, false, NOW))).toBe(42201);
    expect(code(decideRegister(s, 'user3', { schema: main.schema }, false, NOW))).toBe(42201);
    // a referenced version cannot go while a live schema uses it (42206); once the
    // referrer is soft-deleted it can be soft-deleted, and hard-deleted after the referrer is gone
    expect(code(decideDeleteVersion(s, 'addr', '1', false, NOW))).toBe(42206);
    expect(code(decideDeleteSubject(s, 'addr', false, NOW))).toBe(42206);
    run(s, decideDeleteSubject(s, 'user', false, NOW));
    run(s, decideDeleteVersion(s, 'addr', '1', false, NOW));
    expect(code(decideDeleteVersion(s, 'addr', '1', true, NOW))).toBe(42206);
    run(s, decideDeleteSubject(s, 'user', true, NOW));
    expect(run(s, decideDeleteVersion(s, 'addr', '1', true, NOW))).toBe(1);
  });

  it('an empty subject or one with control characters is 42208', () => {
    const s = emptyState();
    expect(code(decideRegister(s, '', V1, false, NOW))).toBe(42208);
    expect(code(decideRegister(s, 'a\nb', V1, false, NOW))).toBe(42208);
  });
});

describe('deletes', () => {
  function twoVersions(): RegistryState {
    const s = emptyState();
    run(s, decideRegister(s, 'a', V1, false, NOW));
    run(s, decideRegister(s, 'a', V2, false, NOW));
    return s;
  }

  it('permanent delete only after soft delete (40405), soft-deleted hidden unless deleted=true', () => {
    const s = twoVersions();
    expect(code(decideDeleteSubject(s, 'a', true, NOW))).toBe(40405);
    expect(run(s, decideDeleteSubject(s, 'a', false, NOW))).toEqual([1, 2]);
    expect(listSubjects(s, false)).toEqual([]);
    expect(listSubjects(s, true)).toEqual(['a']);
    expect(code(listVersions(s, 'a', false))).toBe(40401);
    expect(listVersions(s, 'a', true)).toEqual({ ok: true, value: [1, 2] });
    expect(code(getVersion(s, 'a', '1', false))).toBe(40401);
    expect(code(getVersion(s, 'a', '1', true))).toBe('ok');
    expect(code(decideDeleteSubject(s, 'a', false, NOW))).toBe(40404);
    expect(run(s, decideDeleteSubject(s, 'a', true, NOW))).toEqual([1, 2]);
    expect(listSubjects(s, true)).toEqual([]);
    expect(code(decideDeleteSubject(s, 'a', true, NOW))).toBe(40401);
  });

  it('ids are never reused after a permanent delete; the same text gets its old id back', () => {
    const s = twoVersions();
    run(s, decideDeleteSubject(s, 'a', false, NOW));
    run(s, decideDeleteSubject(s, 'a', true, NOW));
    expect(run(s, decideRegister(s, 'a', BAD, false, NOW))).toMatchObject({ id: 3, version: 1 });
    expect(run(s, decideRegister(s, 'b', V1, false, NOW))).toMatchObject({ id: 1, version: 1 });
  });

  it('after a soft delete, new versions continue the numbering', () => {
    const s = twoVersions();
    run(s, decideDeleteVersion(s, 'a', '2', false, NOW));
    expect(run(s, decideRegister(s, 'a', rec([{ name: 'a', type: 'long' }]), false, NOW))).toMatchObject({ version: 3 });
  });

  it('version deletes: 40406 twice soft, 40407 permanent before soft, 40402 unknown, 42202 invalid', () => {
    const s = twoVersions();
    expect(code(decideDeleteVersion(s, 'a', '1', true, NOW))).toBe(40407);
    expect(run(s, decideDeleteVersion(s, 'a', '1', false, NOW))).toBe(1);
    expect(code(decideDeleteVersion(s, 'a', '1', false, NOW))).toBe(40406);
    expect(code(decideDeleteVersion(s, 'a', '7', false, NOW))).toBe(40402);
    expect(code(decideDeleteVersion(s, 'a', 'x', false, NOW))).toBe(42202);
    expect(code(decideDeleteVersion(s, 'nope', '1', false, NOW))).toBe(40401);
    expect(run(s, decideDeleteVersion(s, 'a', '1', true, NOW))).toBe(1);
    expect(listVersions(s, 'a', true)).toEqual({ ok: true, value: [2] });
  });
});

describe('lookups and compatibility tests', () => {
  it('lookup: 40401 unknown subject, 40403 unknown schema, match returns subject/id/version/schema', () => {
    const s = emptyState();
    run(s, decideRegister(s, 'a', V1, false, NOW));
    expect(code(lookupSchema(s, 'zz', V1, false, false))).toBe(40401);
    expect(code(lookupSchema(s, 'a', V2, false, false))).toBe(40403);
    expect(lookupSchema(s, 'a', V1, false, false)).toEqual({ ok: true, value: { subject: 'a', id: 1, version: 1, schema: JSON.stringify(JSON.parse(V1.schema)) } });
  });

  it('testCompatibility: latest on an empty subject is true; a specific unknown version is 40402', () => {
    const s = emptyState();
    expect(testCompatibility(s, 'new', 'latest', V1, false)).toMatchObject({ ok: true, value: { is_compatible: true } });
    run(s, decideRegister(s, 'a', V1, false, NOW));
    expect(testCompatibility(s, 'a', 'latest', BAD, false)).toMatchObject({ ok: true, value: { is_compatible: false } });
    expect(testCompatibility(s, 'a', '1', V2, false)).toMatchObject({ ok: true, value: { is_compatible: true } });
    expect(code(testCompatibility(s, 'a', '5', V2, false))).toBe(40402);
    expect(code(testCompatibility(s, 'a', 'latest', { schema: 'nope' }, false))).toBe(42201);
  });

  it('replaying the event log into an empty state gives the same answers', () => {
    const s = emptyState();
    const log: RegistryEvent[] = [];
    run(s, decideRegister(s, 'a', V1, false, NOW), log);
    run(s, decideRegister(s, 'a', V2, false, NOW), log);
    run(s, decideSetCompatibility(s, null, { compatibility: 'FULL' }, NOW), log);
    run(s, decideDeleteVersion(s, 'a', '1', false, NOW), log);
    const r = emptyState();
    for (const e of JSON.parse(JSON.stringify(log)) as RegistryEvent[]) applyEvent(r, e);
    expect(r).toEqual(s);
  });
});
