import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { compatibilityProblems, readProblem } from '../../src/core/compatibility.ts';
import type { CompatibilityLevel } from '../../src/core/compatibility.ts';

const T = (s: unknown) => avro.Type.forSchema(s as avro.Schema);
const rec = (fields: unknown[], name = 'R', extra: Record<string, unknown> = {}) => ({ type: 'record', name, fields, ...extra });
const f = (name: string, type: unknown, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });

// CLIENT_NOTES §7.4 table, every row, as BACKWARD: the new schema (reader) reads data
// written with the old one (writer).
const table: { change: string; old: unknown; next: unknown; ok: boolean }[] = [
  { change: 'add field with default', old: rec([f('a', 'int')]), next: rec([f('a', 'int'), f('b', 'string', { default: 'x' })]), ok: true },
  { change: 'add field without default', old: rec([f('a', 'int')]), next: rec([f('a', 'int'), f('b', 'string')]), ok: false },
  { change: 'remove field', old: rec([f('a', 'int'), f('b', 'string')]), next: rec([f('a', 'int')]), ok: true },
  { change: 'int->long', old: rec([f('a', 'int')]), next: rec([f('a', 'long')]), ok: true },
  { change: 'long->int', old: rec([f('a', 'long')]), next: rec([f('a', 'int')]), ok: false },
  { change: 'string->bytes', old: rec([f('a', 'string')]), next: rec([f('a', 'bytes')]), ok: true },
  { change: 'rename record without alias', old: rec([f('a', 'int')], 'R'), next: rec([f('a', 'int')], 'S'), ok: false },
  { change: 'rename record with alias', old: rec([f('a', 'int')], 'R'), next: rec([f('a', 'int')], 'S', { aliases: ['R'] }), ok: true },
  { change: 'writer ["null","string"] -> reader string', old: rec([f('a', ['null', 'string'])]), next: rec([f('a', 'string')]), ok: false },
  { change: 'string -> ["null","string"]', old: rec([f('a', 'string')]), next: rec([f('a', ['null', 'string'])]), ok: true },
  { change: 'enum drops a symbol', old: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] }, next: { type: 'enum', name: 'E', symbols: ['A', 'B'] }, ok: false },
  {
    change: 'enum drops a symbol but reader has a default',
    old: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] },
    next: { type: 'enum', name: 'E', symbols: ['A', 'B'], default: 'A' },
    ok: true,
  },
  { change: 'enum adds a symbol', old: { type: 'enum', name: 'E', symbols: ['A'] }, next: { type: 'enum', name: 'E', symbols: ['A', 'B'] }, ok: true },
  { change: 'fixed size change', old: { type: 'fixed', name: 'F', size: 4 }, next: { type: 'fixed', name: 'F', size: 8 }, ok: false },
  { change: 'array int->long', old: { type: 'array', items: 'int' }, next: { type: 'array', items: 'long' }, ok: true },
  { change: 'map string->int', old: { type: 'map', values: 'string' }, next: { type: 'map', values: 'int' }, ok: false },
  { change: 'field renamed with reader alias', old: rec([f('a', 'int')]), next: rec([f('b', 'int', { aliases: ['a'] })]), ok: true },
  { change: 'namespace change a.R -> b.R', old: rec([f('a', 'int')], 'a.R'), next: rec([f('a', 'int')], 'b.R'), ok: false },
];

describe('BACKWARD: every row of the CLIENT_NOTES §7.4 table', () => {
  it.each(table)('$change -> compatible=$ok', ({ old, next, ok }) => {
    const problems = compatibilityProblems('BACKWARD', T(next), [{ version: 1, type: T(old) }]);
    expect(problems.length === 0).toBe(ok);
    // the checker and the raw resolver agree
    expect(readProblem(T(next), T(old)) === null).toBe(ok);
  });
});

describe('directions', () => {
  const v1 = T(rec([f('a', 'int')]));
  const addNoDefault = T(rec([f('a', 'int'), f('b', 'string')]));
  const removeField = T(rec([]));
  const check = (level: CompatibilityLevel, next: avro.Type) => compatibilityProblems(level, next, [{ version: 1, type: v1 }]);

  it('FORWARD: adding a field without default is fine (old readers ignore it), BACKWARD is not', () => {
    expect(check('FORWARD', addNoDefault)).toEqual([]);
    expect(check('BACKWARD', addNoDefault)).toHaveLength(1);
  });
  it('FORWARD: removing a field the old reader needs (no default) is refused, BACKWARD accepts', () => {
    expect(check('FORWARD', removeField)).toHaveLength(1);
    expect(check('BACKWARD', removeField)).toEqual([]);
  });
  it('FULL refuses both one-directional changes and NONE accepts anything', () => {
    expect(check('FULL', addNoDefault)).toHaveLength(1);
    expect(check('FULL', removeField)).toHaveLength(1);
    expect(check('FULL', T(rec([f('a', 'int'), f('b', 'string', { default: '' })])))).toEqual([]);
    expect(check('NONE', T('string'))).toEqual([]);
  });
  it('no existing versions: always compatible', () => {
    expect(compatibilityProblems('FULL_TRANSITIVE', v1, [])).toEqual([]);
  });
});

describe('transitive levels: v1 -> v2 -> v3 where v3 is compatible with v2 but not v1', () => {
  // v2 adds b with a default; v3 drops the default of b. v3 reads v2 data (b present) but
  // not v1 data (b missing, no default).
  const v1 = { version: 1, type: T(rec([f('a', 'int')])) };
  const v2 = { version: 2, type: T(rec([f('a', 'int'), f('b', 'string', { default: 'x' })])) };
  const v3 = T(rec([f('a', 'int'), f('b', 'string')]));

  it('BACKWARD accepts (latest only)', () => {
    expect(compatibilityProblems('BACKWARD', v3, [v1, v2])).toEqual([]);
  });
  it('BACKWARD_TRANSITIVE refuses, naming version 1', () => {
    const p = compatibilityProblems('BACKWARD_TRANSITIVE', v3, [v1, v2]);
    expect(p).toHaveLength(1);
    expect(p[0]).toContain('version 1');
  });
  it('FORWARD accepts and FORWARD_TRANSITIVE refuses when only the oldest reader needs a dropped field', () => {
    // u1 = {a=0, c}, u2 = {a=0}, u3 = {a}. Old readers read u3 data:
    // u2 finds a -> ok; u1 needs c, which u3 lacks and u1 has no default for -> fails.
    const u1 = { version: 1, type: T(rec([f('a', 'int', { default: 0 }), f('c', 'int')])) };
    const u2 = { version: 2, type: T(rec([f('a', 'int', { default: 0 })])) };
    const u3 = T(rec([f('a', 'int')]));
    expect(compatibilityProblems('FORWARD', u3, [u1, u2])).toEqual([]);
    expect(compatibilityProblems('FORWARD_TRANSITIVE', u3, [u1, u2])).toHaveLength(1);
    expect(compatibilityProblems('FULL', u3, [u1, u2])).toEqual([]);
    expect(compatibilityProblems('FULL_TRANSITIVE', u3, [u1, u2]).length).toBeGreaterThan(0);
  });
});
