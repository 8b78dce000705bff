import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SINK_TOPICS, Tables, rawMetricsRow, rawRequestRow, rowsForTopic } from '../../src/index.ts';
import { columnKind, insertColumns, parseCreateTable, tableColumns } from '../../src/core/columns.ts';
import { metrics, request, sinkFixtures, t0 } from '../fixtures.ts';

describe('columnKind', () => {
  it.each([
    ['String', false, { type: 'string' }],
    ['LowCardinality(String)', false, { type: 'string' }],
    ['LowCardinality(Nullable(String))', true, { type: 'string' }],
    ['Nullable(UInt32)', true, { type: 'int' }],
    ['UInt64', false, { type: 'int' }],
    ['Int32', false, { type: 'int' }],
    ['Float64', false, { type: 'float' }],
    ['Nullable(Bool)', true, { type: 'bool' }],
    ["DateTime64(3, 'UTC')", false, { type: 'datetime64ms' }],
    ['Map(String, String)', false, { type: 'map', value: 'string' }],
    ['Map(String, Float64)', false, { type: 'map', value: 'float' }],
    ['Array(String)', false, { type: 'array', element: 'string', nullableElement: false }],
    ['Array(Nullable(String))', false, { type: 'array', element: 'string', nullableElement: true }],
  ] as const)('%s -> nullable %s, %o', (chType, nullable, kind) => {
    expect(columnKind(chType)).toEqual({ nullable, kind });
  });

  it.each(['Decimal(10, 2)', "DateTime64(6, 'UTC')", "DateTime('UTC')", 'Map(String, UInt8)', 'Array(UInt8)'])('refuses %s (no exact encoding written for it)', (t) => {
    expect(() => columnKind(t)).toThrow(/no encoding/);
  });
});

describe('parseCreateTable / insertColumns', () => {
  it('leaves out DEFAULT columns and INDEX lines, keeps nested commas inside types', () => {
    const t = parseCreateTable(`CREATE TABLE IF NOT EXISTS x (
      a String, m Map(String, String), d DateTime64(3, 'UTC'), inserted_at DateTime('UTC') DEFAULT now(),
      INDEX a_idx a TYPE bloom_filter GRANULARITY 4
    ) ENGINE = MergeTree ORDER BY a`);
    expect(t?.table).toBe('x');
    expect(t?.columns.map((c) => [c.name, c.chType])).toEqual([['a', 'String'], ['m', 'Map(String, String)'], ['d', "DateTime64(3, 'UTC')"]]);
    expect(parseCreateTable('CREATE MATERIALIZED VIEW v TO t AS SELECT 1')).toBeNull();
  });

  it('every mapper writes exactly the insertable columns of its table (no missing, no extra key)', () => {
    const batches = [
      { table: Tables.rawRequests, rows: [rawRequestRow(request, 'u:1', t0)] },
      { table: Tables.rawMetrics, rows: [rawMetricsRow(metrics, 'u:1', t0)] },
      ...SINK_TOPICS.flatMap((topic) => rowsForTopic(topic, sinkFixtures[topic].value as never)),
    ];
    expect(new Set(batches.map((b) => b.table)).size).toBe(14);
    for (const b of batches) {
      expect({ table: b.table, keys: Object.keys(b.rows[0] as object).sort() }).toEqual({ table: b.table, keys: insertColumns(b.table).map((c) => c.name).sort() });
    }
  });

  it('refuses a migration that ALTERs a table (the column list would silently go stale)', () => {
    const alter = { version: MIGRATIONS.length + 1, name: 'alter', statements: [`ALTER TABLE ${Tables.commands} ADD COLUMN x String`] };
    expect(() => tableColumns([...MIGRATIONS, alter])).toThrow(/alters commands/);
    expect(tableColumns().has(Tables.userMinuteRequests)).toBe(false); // roll-up targets are written by views only
  });
});
