// Warehouse insert cost, OLD vs NEW, side by side in one run (`npm run bench:warehouse [rows]`).
// chDB in-process in a temp dir; rows are seeded synthetic events (bench/synthetic.ts) mapped by
// the real row mappers (src/core/rows.ts); 20k rows per insert, as ingest's batches.
//   1. mapper cost: event -> row object, CPU us/row per mapper;
//   2. encoders side by side: raw_requests, raw_metrics, normalized_events into plain copies of
//      each table (same columns and engine, no materialized views, merges stopped so all four
//      candidates pay only encode + parse + write), chunk by chunk in rotating order:
//      OLD = @clickhouse/client insert(JSONEachRow) -> chDB's SQL inline-data path,
//      NEW = encoder + chDB raw insert, one row per candidate format;
//   3. the production path: raw_requests + raw_metrics (what bench:ingest's "ClickHouse insert"
//      stage measures) into the real tables, roll-up views included, OLD vs JSONCompactEachRow
//      vs RowBinary (NEW RowBinary = encoder + a /dev/shm file + file(), see src/insert-file.ts),
//      in ABCCBA order.
// CPU is process.cpuUsage (user + system of every thread: chDB's parser threads count here).
// The machine is 2 shared cores: wall rates swing with the load average printed; compare CPU.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Tables, normalizedEventRow, openWarehouse, rawMetricsRow, rawRequestRow } from '../src/index.ts';
import type { InsertableTable, Warehouse } from '../src/index.ts';
import { INSERT_FORMATS } from '../src/core/row-encoder.ts';
import type { InsertFormat } from '../src/core/row-encoder.ts';
import { DEFAULT_INSERT_FORMAT, encodeInsert } from '../src/insert.ts';
import { insertViaClient, insertWithFormat } from '../src/warehouse.ts';
import { syntheticEvents } from './synthetic.ts';

const N = Number(process.argv[2] ?? 200_000);
const CHUNK = 20_000;
type Candidate = 'OLD client JSONEachRow' | `NEW ${InsertFormat}`;
const CANDIDATES: readonly Candidate[] = ['OLD client JSONEachRow', ...INSERT_FORMATS.map((f) => `NEW ${f}` as const)];

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const cpuNow = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; }; // ms

async function measure(fn: () => Promise<unknown> | unknown): Promise<{ wallMs: number; cpuMs: number }> {
  const c0 = cpuNow();
  const t0 = performance.now();
  await fn();
  return { wallMs: performance.now() - t0, cpuMs: cpuNow() - c0 };
}

const chunks = <T>(xs: readonly T[]): T[][] => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
const usPerRow = (ms: number, rows: number): string => ((ms * 1000) / rows).toFixed(2);
const perSec = (rows: number, ms: number): string => Math.round(rows / (ms / 1000)).toLocaleString('en-US');

console.log(`bench:warehouse  rows/table=${N}  rows/insert=${CHUNK}  cores=${cpus().length}  node=${process.version}  loadavg(1/5/15)=${load()}`);

// --- 1. events and mappers ---
const ev = syntheticEvents(N);
const ingestedAt = 1_763_990_000_000;
let rq: ReturnType<typeof rawRequestRow>[] = [];
let rm_: ReturnType<typeof rawMetricsRow>[] = [];
let ne: ReturnType<typeof normalizedEventRow>[] = [];
const mapRq = await measure(() => { rq = ev.requests.map((r, i) => rawRequestRow(r, ev.userKeys[i] as string, ingestedAt)); });
const mapRm = await measure(() => { rm_ = ev.metrics.map((m, i) => rawMetricsRow(m, ev.userKeys[i] as string, ingestedAt)); });
const mapNe = await measure(() => { ne = ev.normalized.map((e) => normalizedEventRow(e)); });
console.log('\n## Row mappers (event -> row object), CPU us/row');
console.log('| mapper | rows | CPU us/row |\n|---|---:|---:|');
for (const [name, m] of [['rawRequestRow', mapRq], ['rawMetricsRow', mapRm], ['normalizedEventRow', mapNe]] as const) console.log(`| ${name} | ${N} | ${usPerRow(m.cpuMs, N)} |`);

const dir = await mkdtemp(join(tmpdir(), 'warmcast-insert-bench-'));
const wh: Warehouse = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
const TABLES: readonly { table: InsertableTable; rows: readonly object[] }[] = [
  { table: Tables.rawRequests, rows: rq }, { table: Tables.rawMetrics, rows: rm_ }, { table: Tables.normalizedEvents, rows: ne },
];

// --- 2. candidates side by side into copies ---
const slug = (c: Candidate): string => c.replace(/\W+/g, '_').toLowerCase();
type Acc = { wallMs: number; cpuMs: number; encodeCpuMs: number; rows: number };
const acc = new Map<string, Acc>();
for (const { table, rows } of TABLES) {
  for (const c of CANDIDATES) {
    const copy = `bench_${slug(c)}_${table}`;
    await wh.command(`CREATE TABLE ${copy} AS ${table}`);
    await wh.command(`SYSTEM STOP MERGES ${copy}`);
    acc.set(`${table}|${c}`, { wallMs: 0, cpuMs: 0, encodeCpuMs: 0, rows: 0 });
  }
  const parts = chunks(rows);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as never[];
    for (let k = 0; k < CANDIDATES.length; k++) {
      const c = CANDIDATES[(i + k) % CANDIDATES.length] as Candidate; // rotate: no candidate always runs first
      const copy = `bench_${slug(c)}_${table}`;
      const a = acc.get(`${table}|${c}`) as Acc;
      const m = await measure(() => (c.startsWith('OLD') ? insertViaClient(wh, table, part, copy) : insertWithFormat(wh, table, part, c.slice(4) as InsertFormat, copy)));
      if (!c.startsWith('OLD')) a.encodeCpuMs += (await measure(() => encodeInsert(table, part, c.slice(4) as InsertFormat, copy))).cpuMs;
      a.wallMs += m.wallMs; a.cpuMs += m.cpuMs; a.rows += part.length;
    }
  }
  for (const c of CANDIDATES) {
    const [r] = await wh.query<{ n: number }>(`SELECT count() AS n FROM bench_${slug(c)}_${table}`);
    if (r?.n !== rows.length) throw new Error(`${c} stored ${r?.n} of ${rows.length} rows in ${table}`);
  }
}
console.log(`\n## Encoders side by side (copies without views, merges stopped; every copy checked to hold ${N} rows)  loadavg=${load()}`);
console.log('| table | path | rows/s | CPU us/row | of which encode us/row | CPU vs OLD |\n|---|---|---:|---:|---:|---:|');
for (const { table } of TABLES) {
  const old = acc.get(`${table}|${CANDIDATES[0]}`) as Acc;
  for (const c of CANDIDATES) {
    const a = acc.get(`${table}|${c}`) as Acc;
    console.log(`| ${table} | ${c} | ${perSec(a.rows, a.wallMs)} | ${usPerRow(a.cpuMs, a.rows)} | ${c.startsWith('OLD') ? '-' : usPerRow(a.encodeCpuMs, a.rows)} | ${(old.cpuMs / a.cpuMs).toFixed(2)}x less |`);
  }
}

// --- 3. production path: raw_requests + raw_metrics into the real tables (roll-up views on) ---
type ProdPath = 'OLD' | 'JSONCompactEachRow' | 'RowBinary';
async function productionPass(path: ProdPath): Promise<{ wallMs: number; cpuMs: number; rows: number }> {
  for (const t of [Tables.rawRequests, Tables.rawMetrics, Tables.userMinuteRequests, Tables.userMinuteUsage]) await wh.command(`TRUNCATE TABLE ${t}`);
  const m = await measure(async () => {
    for (const { table, rows } of TABLES.slice(0, 2)) {
      for (const part of chunks(rows)) await (path === 'OLD' ? insertViaClient(wh, table, part as never[]) : insertWithFormat(wh, table, part as never[], path));
    }
  });
  const [r] = await wh.query<{ n: number }>(`SELECT (SELECT count() FROM ${Tables.rawRequests}) + (SELECT count() FROM ${Tables.rawMetrics}) AS n`);
  if (r?.n !== 2 * N) throw new Error(`${path} production pass stored ${r?.n} of ${2 * N} rows`);
  return { ...m, rows: 2 * N };
}
const prod = new Map<ProdPath, { wallMs: number; cpuMs: number; rows: number }>();
for (const path of ['OLD', 'JSONCompactEachRow', 'RowBinary', 'RowBinary', 'JSONCompactEachRow', 'OLD'] as const) { // ABCCBA: drift cancels
  const p = await productionPass(path);
  const a = prod.get(path) ?? { wallMs: 0, cpuMs: 0, rows: 0 };
  prod.set(path, { wallMs: a.wallMs + p.wallMs, cpuMs: a.cpuMs + p.cpuMs, rows: a.rows + p.rows });
}
console.log(`\n## Production path: raw_requests + raw_metrics, real tables with roll-up views, 2 passes each in ABCCBA order (${2 * N} rows per pass)  loadavg=${load()}`);
console.log('| path | rows/s | CPU us/row | CPU vs OLD |\n|---|---:|---:|---:|');
const old = prod.get('OLD') as { wallMs: number; cpuMs: number; rows: number };
for (const [path, p] of prod) {
  const label = path === 'OLD' ? 'OLD client.insert(JSONEachRow)' : `NEW ${path}${path === 'RowBinary' ? ' + file()' : ' + raw insert'}${path === DEFAULT_INSERT_FORMAT ? ' (wh.insert default)' : ''}`;
  console.log(`| ${label} | ${perSec(p.rows, p.wallMs)} | ${usPerRow(p.cpuMs, p.rows)} | ${(old.cpuMs / p.cpuMs).toFixed(2)}x less |`);
}

await wh.close();
await rm(dir, { recursive: true, force: true });
