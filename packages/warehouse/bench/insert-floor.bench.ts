// Where the insert's CPU goes inside chDB, one raw_requests row shape, same rows, two paths side
// by side (JSONCompactEachRow + raw insert, RowBinary through a /dev/shm file + file(); the
// order of the two flips each round) into copies of the table that differ in one thing each:
// ENGINE = Null (parse only, nothing stored: the floor of any text-format insert here),
// ReplacingMergeTree as in production (sort + dedupe of the block + part write), 100k-row
// batches, plain MergeTree, no PARTITION BY, the real table with its roll-up view, and
// optimize_on_insert = 0 (no in-block dedupe). Merges are stopped so background work is not
// counted. Two rounds, CPU = process.cpuUsage (chDB's threads included).
//   node --import tsx packages/warehouse/bench/insert-floor.bench.ts [rows]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Tables, openWarehouse, rawRequestRow } from '../src/index.ts';
import { insertWithFormat } from '../src/warehouse.ts';
import type { InsertFormat } from '../src/core/row-encoder.ts';
import { syntheticEvents } from './synthetic.ts';
const N = Number(process.argv[2] ?? 200_000);
const dir = await mkdtemp(join(tmpdir(), 'chx-'));
const wh = await openWarehouse({ dataDir: dir });
const ev = syntheticEvents(N, 1);
const rows = ev.requests.map((r, i) => rawRequestRow(r, ev.userKeys[i % ev.userKeys.length]!, 1_763_900_000_000));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
await wh.command(`CREATE TABLE rr_plain AS ${Tables.rawRequests} ENGINE = MergeTree PARTITION BY toDate(event_time) ORDER BY (user_key, event_time, request_id)`);
await wh.command(`CREATE TABLE rr_repl AS ${Tables.rawRequests}`);
await wh.command(`CREATE TABLE rr_nopart AS ${Tables.rawRequests} ENGINE = ReplacingMergeTree ORDER BY (user_key, event_time, request_id)`);
await wh.command(`CREATE TABLE rr_null AS ${Tables.rawRequests} ENGINE = Null`);
await wh.command(`SYSTEM STOP MERGES`);
const FORMATS: readonly InsertFormat[] = ['JSONCompactEachRow', 'RowBinary'];
let flip = 0;
async function run(label: string, into: string, chunk: number) {
  const order = flip % 2 === 0 ? FORMATS : [...FORMATS].reverse();
  for (const format of order) {
    const c0 = cpu(); const t0 = performance.now();
    for (let i = 0; i < rows.length; i += chunk) await insertWithFormat(wh, Tables.rawRequests, rows.slice(i, i + chunk), format, into);
    console.log(label.padEnd(40), format.padEnd(19), ((cpu() - c0) * 1000 / rows.length).toFixed(2), 'us/row cpu', ((performance.now() - t0) * 1000 / rows.length).toFixed(2), 'us/row wall');
  }
}
console.log('load average', loadavg().map((x) => x.toFixed(2)).join(' '));
for (let round = 0; round < 2; round++) {
  flip = round;
  await run('Null engine (parse only) 20k', 'rr_null', 20_000);
  await run('ReplacingMT (prod shape) 20k', 'rr_repl', 20_000);
  await run('ReplacingMT 100k', 'rr_repl', 100_000);
  await run('MergeTree 20k', 'rr_plain', 20_000);
  await run('Replacing no partition 20k', 'rr_nopart', 20_000);
  await run('real table w/ MV 20k', Tables.rawRequests, 20_000);
}
await wh.command('SET optimize_on_insert = 0');
await run('ReplacingMT 20k optimize_on_insert=0', 'rr_repl', 20_000);
await run('ReplacingMT 20k optimize_on_insert=0', 'rr_repl', 20_000);
console.log('load average', loadavg().map((x) => x.toFixed(2)).join(' '));
await wh.close();
await rm(dir, { recursive: true, force: true });
