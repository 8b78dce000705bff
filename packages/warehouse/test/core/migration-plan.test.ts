import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrationChecksum as checksum, planMigrations } from '../../src/index.ts';

const m = (version: number, sql = `CREATE TABLE IF NOT EXISTS t${version} (a UInt8) ENGINE = MergeTree ORDER BY a`) => ({ version, name: `m${version}`, statements: [sql] });
const applied = (x: ReturnType<typeof m>) => ({ version: x.version, name: x.name, checksum: checksum(x) });

describe('planMigrations', () => {
  const known = [m(1), m(2), m(3)];

  it('applies everything to an empty warehouse and nothing to an up-to-date one', () => {
    expect(planMigrations(known, [])).toEqual({ ok: true, pending: known, current: 0 });
    expect(planMigrations(known, known.map(applied))).toEqual({ ok: true, pending: [], current: 3 });
  });

  it('applies only the new ones after an upgrade, and tolerates a version recorded twice', () => {
    const r = planMigrations(known, [applied(m(1)), applied(m(1)), applied(m(2))]);
    expect(r).toEqual({ ok: true, pending: [known[2]], current: 2 });
  });

  it('refuses an edited migration, a warehouse newer than the code, and gaps', () => {
    expect(planMigrations(known, [{ ...applied(m(1)), checksum: 'deadbeef' }])).toMatchObject({ ok: false, problem: expect.stringContaining('never edit a shipped migration') });
    expect(planMigrations(known, [...known, m(4)].map(applied))).toMatchObject({ ok: false, problem: expect.stringContaining('newer than this code') });
    expect(planMigrations(known, [applied(m(2))])).toMatchObject({ ok: false, problem: expect.stringContaining('not 1') });
    expect(planMigrations([m(1), m(3)], [])).toMatchObject({ ok: false, problem: expect.stringContaining('without gaps') });
  });

  it('ignores whitespace in checksums (reformatting is not a change) but not text', () => {
    expect(checksum(m(1, 'CREATE  TABLE\n t (a UInt8)'))).toBe(checksum(m(1, 'CREATE TABLE t (a UInt8)')));
    expect(checksum(m(1, 'CREATE TABLE t (a UInt16)'))).not.toBe(checksum(m(1, 'CREATE TABLE t (a UInt8)')));
  });

  it('the shipped list is valid and numbered 1..n', () => {
    expect(MIGRATIONS.map((x) => x.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(planMigrations(MIGRATIONS, [])).toMatchObject({ ok: true, current: 0 });
  });
});
