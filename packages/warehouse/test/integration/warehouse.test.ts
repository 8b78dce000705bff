// chDB through @clickhouse/client in a temp dir: migrations, typed inserts, parameterized
// queries with a hostile string, roll-ups, the batch writer, and the ClickHouse HTTP endpoint
// driven by the real @clickhouse/client. One warehouse for the file (chDB start-up ~1 s, and
// one data directory per process).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@clickhouse/client';
import { Topics } from '@warmcast/kit';
import {
  BatchWriter, ENDPOINT_FILE, MIGRATIONS, SINK_TOPICS, Tables, applyMigrations, normalizedEventRow, openWarehouse, rawMetricsRow, rawRequestRow,
  rowsForTopic, serveClickHouseHttp,
} from '../../src/index.ts';
import type { Warehouse } from '../../src/index.ts';
import { HOSTILE, metrics, normalized, request, sinkFixtures, t0 } from '../fixtures.ts';

let dir: string;
let wh: Warehouse;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-wh-'));
  wh = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
});

afterAll(async () => {
  await wh?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applied every numbered migration once, recorded in schema_migrations', async () => {
    expect(wh.migrations).toEqual({ applied: MIGRATIONS.map((m) => m.version), current: MIGRATIONS.length });
    const rows = await wh.query<{ version: number; name: string }>(`SELECT version, name FROM ${Tables.schemaMigrations} ORDER BY version`);
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = await wh.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase()');
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(Object.values(Tables)));
  });

  it('re-applying is a no-op, and a newer or edited history is refused', async () => {
    expect(await applyMigrations(wh)).toEqual({ applied: [], current: MIGRATIONS.length });
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, statements: [...m.statements, 'SELECT 1'] } : m));
    await expect(applyMigrations(wh, undefined, edited)).rejects.toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringContaining('never edit') });
    await expect(applyMigrations(wh, undefined, MIGRATIONS.slice(0, 2))).rejects.toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringContaining('newer than this code') });
  });

  it('a new numbered migration adds its table on the next open', async () => {
    const next = { version: MIGRATIONS.length + 1, name: 'test-extra', statements: ['CREATE TABLE IF NOT EXISTS test_extra (a UInt8) ENGINE = MergeTree ORDER BY a'] };
    expect(await applyMigrations(wh, undefined, [...MIGRATIONS, next])).toEqual({ applied: [next.version], current: next.version });
    expect(await wh.query('EXISTS TABLE test_extra')).toEqual([{ result: 1 }]);
    // Undo, so the rest of the file sees the shipped schema.
    await wh.command('DROP TABLE test_extra');
    await wh.command(`ALTER TABLE ${Tables.schemaMigrations} DELETE WHERE version = {v:UInt32}`, { v: next.version });
  });
});

describe('inserts and queries', () => {
  beforeAll(async () => {
    for (const topic of SINK_TOPICS) {
      for (const b of rowsForTopic(topic, sinkFixtures[topic].value as never)) await wh.insert(b.table, b.rows as never[]);
    }
    await wh.insert(Tables.rawRequests, [rawRequestRow(request, 'u:9f86d081', t0 + 5)]);
    await wh.insert(Tables.rawMetrics, [rawMetricsRow(metrics, 'u:9f86d081', t0 + 1300)]);
    await wh.insert(Tables.normalizedEvents, [normalizedEventRow(normalized)]);
  });

  it('every sunk topic value lands as rows in its table', async () => {
    const counts = await wh.query<{ t: string; n: number }>(`
      SELECT 'forecasts' AS t, count() AS n FROM ${Tables.forecasts} UNION ALL SELECT 'request_needs', count() FROM ${Tables.requestNeeds}
      UNION ALL SELECT 'dead_letters', count() FROM ${Tables.deadLetters} UNION ALL SELECT 'commands', count() FROM ${Tables.commands}`);
    expect(Object.fromEntries(counts.map((c) => [c.t, c.n]))).toEqual({ forecasts: 4, request_needs: 1, dead_letters: 1, commands: 1 });
  });

  it('a hostile string is data, both when inserted and as a query parameter', async () => {
    const rows = await wh.query<{ command_id: string; reason_text: string }>(
      `SELECT command_id, reason_text FROM ${Tables.commands} WHERE reason_text = {text:String}`, { text: HOSTILE });
    expect(rows).toEqual([{ command_id: 'cmd-1', reason_text: HOSTILE }]);
    expect(await wh.query(`SELECT count() AS n FROM ${Tables.commands} WHERE command_id = {id:String}`, { id: "cmd-1' OR '1'='1" })).toEqual([{ n: 0 }]);
  });

  it('answers "why was this VM launched" in one query joining the command and its result', async () => {
    const rows = await wh.query(`
      SELECT c.command_id, c.kind, c.count, c.reason_rule, c.reason_bound, c.reason_forecast_ref, r.status
      FROM ${Tables.commands} AS c FINAL LEFT JOIN ${Tables.commandResults} AS r ON r.command_id = c.command_id
      WHERE c.pool_id = {pool:String} AND c.kind = 'LAUNCH'`, { pool: 'sim-python-m' });
    expect(rows).toEqual([{ command_id: 'cmd-1', kind: 'LAUNCH', count: 2, reason_rule: 'proactive-scale-out', reason_bound: 51.5, reason_forecast_ref: 'demand.pool.aggregated.v1/0/1234', status: 'APPLIED' }]);
  });

  it('round-trips times (ms), maps, nullables and dead-letter bytes', async () => {
    const [f] = await wh.query<Record<string, unknown>>(`SELECT toUnixTimestamp64Milli(tick_time) AS ms, pool_mix, requests_p99 FROM ${Tables.forecasts} WHERE horizon_minutes = 15`);
    expect(f).toEqual({ ms: t0, pool_mix: { 'python3.12/M': 0.75, 'node20/S': 0.25 }, requests_p99: 9 });
    const [d] = await wh.query<{ hex: string; hv: (string | null)[] }>(`SELECT hex(base64Decode(value_base64)) AS hex, header_values_base64 AS hv FROM ${Tables.deadLetters}`);
    expect(d).toEqual({ hex: '7B2200FF', hv: [Buffer.from('abc').toString('base64'), null] });
    const [r] = await wh.query(`SELECT user_key, source_bytes, application_id FROM ${Tables.rawRequests}`);
    expect(r).toEqual({ user_key: 'u:9f86d081', source_bytes: 25, application_id: 'app-1' });
  });

  it('a re-delivered event counts once in the per-minute roll-ups', async () => {
    await wh.insert(Tables.rawRequests, [rawRequestRow(request, 'u:9f86d081', t0 + 99)]); // at-least-once repeat
    await wh.insert(Tables.rawMetrics, [rawMetricsRow({ ...metrics, requestId: 'req-2', start: 'WARM' }, 'u:9f86d081', t0 + 1400)]);
    const req = await wh.query(`SELECT user_key, toString(minute) AS minute, uniqExactMerge(requests) AS requests FROM ${Tables.userMinuteRequests} GROUP BY user_key, minute`);
    expect(req).toEqual([{ user_key: 'u:9f86d081', minute: '2025-11-23 12:13:00', requests: 1 }]);
    const use = await wh.query(`SELECT uniqExactMerge(executions) AS executions, uniqExactMerge(cold_starts) AS cold, sum(duration_ms_sum) AS duration, max(memory_peak_mb_max) AS mem FROM ${Tables.userMinuteUsage} WHERE user_key = {u:String}`, { u: 'u:9f86d081' });
    expect(use).toEqual([{ executions: 2, cold: 1, duration: 2468, mem: 312.5 }]);
    const rt = await wh.query(`SELECT runtime, uniqExactMerge(cold_starts) AS cold FROM ${Tables.runtimeMinuteStarts} GROUP BY runtime`);
    expect(rt).toEqual([{ runtime: 'python3.12', cold: 1 }]);
  });

  it('a bad statement is a non-retriable QUERY_FAILED with ClickHouse\'s reason', async () => {
    await expect(wh.query('SELECT nope FROM forecasts')).rejects.toMatchObject({ code: 'QUERY_FAILED', retriable: false, message: expect.stringContaining('nope') });
  });
});

describe('BatchWriter on chDB', () => {
  it('stores 25 rows written in 3 calls with maxRows 10, resolving each write once stored', async () => {
    const w = new BatchWriter({ warehouse: wh, table: Tables.poolStatus, maxRows: 10, maxDelayMs: 50 });
    const row = (i: number) => ({ ...rowsForTopic(Topics.poolStatusReported, sinkFixtures[Topics.poolStatusReported].value)[0]!.rows[0] as never as Record<string, unknown>, pool_id: `bw-${i}`, as_of: t0 + i });
    await Promise.all([w.write(Array.from({ length: 12 }, (_, i) => row(i)) as never), w.write([row(12)] as never), w.write(Array.from({ length: 12 }, (_, i) => row(13 + i)) as never)]);
    expect(await wh.query(`SELECT count() AS n FROM ${Tables.poolStatus} WHERE startsWith(pool_id, 'bw-')`)).toEqual([{ n: 25 }]);
    await w.close();
    expect(w.stats()).toMatchObject({ rowsWritten: 25, pendingRows: 0, failedBatches: 0 });
  });
});

describe('ClickHouse HTTP endpoint', () => {
  it('serves the real @clickhouse/client: ping, query with parameters, insert, command, errors, default format', async () => {
    const ep = await serveClickHouseHttp(wh, { port: 0 });
    const client = createClient({ url: ep.url });
    try {
      expect(JSON.parse(await readFile(join(wh.location, ENDPOINT_FILE), 'utf8'))).toEqual({ url: ep.url, pid: process.pid });
      expect((await client.ping()).success).toBe(true);
      const rs = await client.query({ query: `SELECT command_id, reason_text FROM ${Tables.commands} WHERE reason_text = {t:String}`, query_params: { t: HOSTILE }, format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ command_id: 'cmd-1', reason_text: HOSTILE }]);
      const arr = await client.query({ query: `SELECT command_id FROM ${Tables.commands} WHERE has({ids:Array(String)}, command_id) AND {none:Nullable(String)} IS NULL`, query_params: { ids: ['cmd-1', 'other'], none: null }, format: 'JSONEachRow' });
      expect(await arr.json()).toEqual([{ command_id: 'cmd-1' }]);
      await client.insert({ table: Tables.anomalies, values: [{ ...rowsForTopic(Topics.feedbackAnomalyDetected, sinkFixtures[Topics.feedbackAnomalyDetected].value)[0]!.rows[0], anomaly_id: 'an-http' }], format: 'JSONEachRow' });
      const n = await client.query({ query: `SELECT count() AS n FROM ${Tables.anomalies} WHERE anomaly_id = {id:String}`, query_params: { id: 'an-http' }, format: 'JSON' });
      expect((await n.json<{ n: string | number }>()).data.map((r) => Number(r.n))).toEqual([1]);
      await client.command({ query: 'CREATE TABLE IF NOT EXISTS http_probe (a UInt8) ENGINE = Memory' });
      expect(await (await client.query({ query: 'EXISTS TABLE http_probe', format: 'JSONEachRow' })).json()).toEqual([{ result: 1 }]);
      await expect(client.query({ query: 'SELECT nope FROM forecasts', format: 'JSONEachRow' })).rejects.toMatchObject({ code: '47', type: 'UNKNOWN_IDENTIFIER' });
      // No FORMAT and no default_format: TabSeparated, as ClickHouse answers curl.
      const plain = await fetch(`${ep.url}/?query=${encodeURIComponent('SELECT 1 AS a, \'x\' AS b')}`);
      expect(await plain.text()).toBe('1\tx\n');
      // GET is read-only, as in ClickHouse; and a readonly setting is not applied to the shared session.
      const drop = await fetch(`${ep.url}/?query=${encodeURIComponent('DROP TABLE http_probe')}`);
      expect(drop.status).toBe(400);
      expect(drop.headers.get('x-clickhouse-exception-code')).toBe('164');
      await fetch(`${ep.url}/?readonly=1`, { method: 'POST', body: 'SELECT 1' });
      await wh.command('INSERT INTO http_probe VALUES (1)');
    } finally {
      await client.close();
      await ep.close();
    }
    expect(existsSync(join(wh.location, ENDPOINT_FILE))).toBe(false);
  });
});
