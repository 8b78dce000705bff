// The fast insert path stores exactly what the old one did. For every insertable table: hostile
// rows (test/hostile-rows.ts) go into copies of the table through the OLD path
// (@clickhouse/client insert, JSONEachRow) and through each encoder + chDB's raw insert, and
// the copies must SELECT the same. Then the same through the HTTP endpoint (a warehouse in
// HTTP mode -> serveClickHouseHttp -> this chDB), and errors keep their codes.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tables, openWarehouse, serveClickHouseHttp } from '../../src/index.ts';
import type { InsertableTable, Warehouse } from '../../src/index.ts';
import { INSERT_FORMATS } from '../../src/core/row-encoder.ts';
import type { InsertFormat } from '../../src/core/row-encoder.ts';
import { insertViaClient, insertWithFormat } from '../../src/warehouse.ts';
import { HOSTILE_STRINGS, hostileRows } from '../hostile-rows.ts';
import { insertColumns } from '../../src/core/columns.ts';
import { binaryInsertDir, sweepStaleInsertFiles } from '../../src/insert-file.ts';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

const INSERTABLE: readonly InsertableTable[] = [
  Tables.rawRequests, Tables.rawMetrics, Tables.normalizedEvents, Tables.forecasts, Tables.requestNeeds, Tables.forecastAccuracy,
  Tables.demand, Tables.clusterLoad, Tables.commands, Tables.commandResults, Tables.poolStatus, Tables.poolOutcomes, Tables.anomalies,
  Tables.deadLetters,
];
const ROWS = 60; // > the longest value list (27 strings + null), so every hostile value is written

let dir: string;
let wh: Warehouse;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-wh-insert-'));
  wh = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
});

afterAll(async () => {
  await wh?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A plain MergeTree copy (no dedup, no views) with the table's columns. */
async function copyOf(table: InsertableTable, name: string): Promise<string> {
  await wh.command(`CREATE TABLE ${name} AS ${table} ENGINE = MergeTree ORDER BY tuple()`);
  return name;
}

/** Every stored row as JSON text (inserted_at left out: wall clock), sorted, so two copies compare as multisets. */
async function stored(name: string): Promise<string[]> {
  const rows = await wh.query(`SELECT * EXCEPT (inserted_at) FROM ${name}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe('new insert path = old insert path, hostile values, every table', () => {
  for (const table of INSERTABLE) {
    it(`${table}: each format stores what client.insert(JSONEachRow) stored`, async () => {
      const rows = hostileRows(table, ROWS) as never[];
      const old = await copyOf(table, `eq_old_${table}`);
      await insertViaClient(wh, table, rows, old);
      const expected = await stored(old);
      expect(expected).toHaveLength(ROWS);
      // The reference itself stores the hostile strings exactly (first String column takes every one).
      const first = insertColumns(table).find((c) => c.kind.type === 'string' && !c.nullable)?.name as string;
      const strings = await wh.query<{ s: string }>(`SELECT DISTINCT ${first} AS s FROM ${old}`);
      expect(strings.map((r) => r.s).sort()).toEqual([...HOSTILE_STRINGS].sort());
      for (const format of INSERT_FORMATS) {
        const copy = await copyOf(table, `eq_${format.toLowerCase()}_${table}`);
        await insertWithFormat(wh, table, rows, format, copy);
        expect({ format, rows: await stored(copy) }).toEqual({ format, rows: expected });
      }
    });
  }

  it('the default insert (wh.insert) writes the table itself', async () => {
    const rows = hostileRows(Tables.deadLetters, 5);
    await wh.insert(Tables.deadLetters, rows as never[]);
    const [r] = await wh.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.deadLetters}`);
    expect(r?.n).toBe(5);
  });

  it('errors keep their codes: a bad value is a non-retriable QUERY_FAILED naming the table', async () => {
    const bad = { ...hostileRows(Tables.poolStatus, 1)[0], warming: 'many' };
    for (const format of INSERT_FORMATS) {
      await expect(insertWithFormat(wh, Tables.poolStatus, [bad as never], format)).rejects.toMatchObject({
        code: format === 'TabSeparated' || format === 'RowBinary' ? 'ROW_INVALID' : 'QUERY_FAILED', retriable: false, message: expect.stringContaining('pool_status'),
      });
    }
    // wh.insert in chDB mode is RowBinary (DEFAULT_INSERT_FORMATS): refused in JS, before chDB.
    await expect(wh.insert(Tables.poolStatus, [bad as never])).rejects.toMatchObject({ code: 'ROW_INVALID', retriable: false });
    // ClickHouse's own refusal through the raw insert and through file() (chDB error, ClickHouse code 60 UNKNOWN_TABLE).
    for (const format of ['TabSeparated', 'RowBinary'] as const) {
      await expect(insertWithFormat(wh, Tables.poolStatus, hostileRows(Tables.poolStatus, 1) as never[], format, 'no_such_table')).rejects.toMatchObject({
        code: 'QUERY_FAILED', retriable: false, message: expect.stringMatching(/insert 1 rows into no_such_table: .*(UNKNOWN_TABLE|no_such_table does not exist)/),
      });
    }
    // The temp file is deleted after a refused insert too.
    const left = (await readdir(binaryInsertDir())).filter((f) => f.startsWith(`warmcast-rb-${process.pid}-`));
    expect(left).toEqual([]);
  });
});

describe('RowBinary temp files', () => {
  it('a sweep deletes the insert files of a process that is gone, and only those', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number; // exited: its pid runs nothing now
    const files = [`warmcast-rb-${gone}-1-0123abcd.bin`, `warmcast-rb-${process.pid}-1-0123abcd.bin`, `other-${gone}.bin`];
    for (const f of files) await writeFile(join(dir, f), 'x');
    expect(sweepStaleInsertFiles(dir)).toBe(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.bin')).sort()).toEqual(files.slice(1).sort());
  });
});

describe('through the HTTP endpoint', () => {
  it('a warehouse in HTTP mode inserts every format (RowBinary as the binary body) through serveClickHouseHttp, storing what the old path did', async () => {
    const ep = await serveClickHouseHttp(wh, { port: 0, record: false });
    const remote = await openWarehouse({ url: ep.url, env: {}, migrate: false });
    try {
      expect(remote.mode).toBe('http');
      for (const table of [Tables.rawRequests, Tables.normalizedEvents, Tables.forecasts, Tables.deadLetters] as const) {
        const expected = await stored(`eq_old_${table}`);
        const rows = hostileRows(table, ROWS) as never[];
        for (const format of INSERT_FORMATS satisfies readonly InsertFormat[]) {
          const copy = await copyOf(table, `http_${format.toLowerCase()}_${table}`);
          await insertWithFormat(remote, table, rows, format, copy);
          expect({ table, format, rows: await stored(copy) }).toEqual({ table, format, rows: expected });
        }
      }
      const before = await wh.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.commands}`);
      await remote.insert(Tables.commands, hostileRows(Tables.commands, 3) as never[]);
      // Over HTTP the default stays JSONCompactEachRow: the bad value reaches ClickHouse, which refuses it.
      const bad = { ...hostileRows(Tables.poolStatus, 1)[0], warming: 'many' };
      await expect(remote.insert(Tables.poolStatus, [bad as never])).rejects.toMatchObject({ code: 'QUERY_FAILED', retriable: false });
      const after = await wh.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.commands}`);
      expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(3);
    } finally {
      await remote.close();
      await ep.close();
    }
  });
});
