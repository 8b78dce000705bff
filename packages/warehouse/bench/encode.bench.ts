// Encode only (rows -> insert body, no chDB): JSONCompactEachRow vs RowBinary side by side,
// 3 rounds, CPU us/row of process.cpuUsage (one thread: this is JavaScript alone).
//   node --import tsx packages/warehouse/bench/encode.bench.ts [rows]
import { Tables, normalizedEventRow, rawMetricsRow, rawRequestRow } from '../src/index.ts';
import { encodeInsert } from '../src/insert.ts';
import { syntheticEvents } from './synthetic.ts';
import { loadavg } from 'node:os';
const N = Number(process.argv[2] ?? 100_000);
const ev = syntheticEvents(N);
const rq = ev.requests.map((r, i) => rawRequestRow(r, ev.userKeys[i] as string, 1_763_990_000_000));
const rm = ev.metrics.map((m, i) => rawMetricsRow(m, ev.userKeys[i] as string, 1_763_990_000_000));
const ne = ev.normalized.map((e) => normalizedEventRow(e));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
for (let round = 0; round < 3; round++) {
  const out: string[] = [];
  for (const [t, rows] of [[Tables.rawRequests, rq], [Tables.rawMetrics, rm], [Tables.normalizedEvents, ne]] as const) {
    for (const f of ['JSONCompactEachRow', 'RowBinary'] as const) {
      const c0 = cpu();
      for (let i = 0; i < rows.length; i += 20_000) encodeInsert(t, rows.slice(i, i + 20_000) as never[], f);
      out.push(`${t} ${f} ${((cpu() - c0) * 1000 / rows.length).toFixed(2)}`);
    }
  }
  console.log(out.join(' | '), 'load', loadavg()[0]?.toFixed(1));
}
