import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, isWellFormedTopicName } from '../../src/core/catalogue.ts';

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../schemas');
const raw = JSON.parse(readFileSync(join(schemasDir, 'topics.json'), 'utf8')) as { topics: Record<string, unknown>[] };
const texts: Record<string, string> = Object.fromEntries(raw.topics.map((t) => [t['valueSchema'] as string, readFileSync(join(schemasDir, t['valueSchema'] as string), 'utf8')]));

const good = { id: 'fooBarDone', name: 'foo.bar.done.v1', description: 'x', key: { field: 'k', type: 'string' }, partitions: 3, cleanupPolicy: 'delete', retentionMs: 86_400_000, valueSchema: 's.avsc', valueSubject: 'foo.bar.done.v1-value' };
const goodSchema = JSON.stringify({ type: 'record', name: 'Foo', namespace: 'io.warmcast', fields: [{ name: 'a', type: 'int' }] });

describe('loadCatalogue', () => {
  it('accepts the shipped catalogue: 15 topics, every schema parses', () => {
    const r = loadCatalogue(raw, texts);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.topics).toHaveLength(15);
    expect(r.topics.map((t) => t.recordName)).toContain('io.warmcast.DeadLetter');
  });

  it('accepts a good entry', () => {
    expect(loadCatalogue({ topics: [good] }, { 's.avsc': goodSchema }).ok).toBe(true);
  });

  it.each([
    ['bad name (upper case)', { name: 'Foo.bar.done.v1', valueSubject: 'Foo.bar.done.v1-value' }, /name "Foo.bar.done.v1" must be/],
    ['name without version', { name: 'foo.bar.done', valueSubject: 'foo.bar.done-value' }, /must be <domain>/],
    ['subject not <topic>-value', { valueSubject: 'foo-value' }, /valueSubject "foo-value" must be "foo.bar.done.v1-value"/],
    ['zero partitions', { partitions: 0 }, /partitions 0 must be an integer in 1..1024/],
    ['unknown cleanup policy', { cleanupPolicy: 'forever' }, /cleanupPolicy "forever"/],
    ['retention of an hour given in seconds', { retentionMs: 3600 }, /retentionMs 3600 must be an integer >= 60000/],
    ['compact with retention', { cleanupPolicy: 'compact' }, /retentionMs must be null for cleanupPolicy compact/],
    ['missing schema file', { valueSchema: 'nope.avsc' }, /valueSchema "nope.avsc" not found/],
    ['bad id', { id: 'Foo-Bar' }, /id "Foo-Bar" must be camelCase/],
    ['key not a string type', { key: { field: 'k', type: 'avro' } }, /key must be/],
  ])('rejects %s', (_label, patch, message) => {
    const r = loadCatalogue({ topics: [{ ...good, ...patch }] }, { 's.avsc': goodSchema });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('rejects duplicate names and ids', () => {
    const r = loadCatalogue({ topics: [good, good] }, { 's.avsc': goodSchema });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual(expect.arrayContaining([expect.stringMatching(/id "fooBarDone" is not unique/), expect.stringMatching(/name "foo.bar.done.v1" is not unique/)]));
  });

  it.each([
    ['not JSON', '{', /does not parse/],
    ['not Avro', JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'integer' }] }), /does not parse/],
    ['bad union default', JSON.stringify({ type: 'record', name: 'X', namespace: 'io.warmcast', fields: [{ name: 'a', type: ['null', 'string'], default: 'x' }] }), /does not parse/],
    ['not a record', '"string"', /must be a named record/],
    ['wrong namespace', JSON.stringify({ type: 'record', name: 'X', namespace: 'com.other', fields: [] }), /namespace io.warmcast/],
  ])('rejects a schema that is %s', (_label, text, message) => {
    const r = loadCatalogue({ topics: [good] }, { 's.avsc': text });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('rejects a catalogue without a topics array', () => {
    expect(loadCatalogue({}, {})).toEqual({ ok: false, problems: ['catalogue: expected an object with a "topics" array'] });
  });

  it.each([
    ['exec.request.received.v1', true], ['ops.deadletter.v1', true], ['exec.request.received.v12', true],
    ['exec.request.received', false], ['exec.request.received.v0', false], ['exec..received.v1', false], ['exec.request.Received.v1', false], ['a.b.c.d.v1', false],
  ])('topic name %s well formed: %s', (name, ok) => {
    expect(isWellFormedTopicName(name)).toBe(ok);
  });
});
