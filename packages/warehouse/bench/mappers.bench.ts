// Row mapper cost (event -> row object), the current src/core/rows.ts against the version of a
// given commit, side by side in one run, 4 alternating rounds (CPU us/row, best and median).
//   node --import tsx packages/warehouse/bench/mappers.bench.ts [commit=76d09d9] [rows=200000]
// 76d09d9 is the last commit before the mappers' checked() stopped using Object.entries.
// The old file is copied next to the current one (its relative imports resolve) and removed after.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as current from '../src/core/rows.ts';
import { syntheticEvents } from './synthetic.ts';

type Rows = typeof current;
const commit = process.argv[2] ?? '76d09d9';
const N = Number(process.argv[3] ?? 200_000);
const core = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'core');
const oldFile = join(core, `.rows-${commit}.ts`);
writeFileSync(oldFile, execFileSync('git', ['show', `${commit}:packages/warehouse/src/core/rows.ts`], { encoding: 'utf8' }));
let previous: Rows;
try {
  previous = (await import(oldFile)) as Rows;
} finally {
  rmSync(oldFile, { force: true });
}

const ev = syntheticEvents(N);
const cpuMs = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const runs: Record<string, number[]> = {};
const mappers = (m: Rows): [string, () => unknown][] => [
  ['rawRequestRow', () => ev.requests.map((r, i) => m.rawRequestRow(r, ev.userKeys[i] as string, 1))],
  ['rawMetricsRow', () => ev.metrics.map((r, i) => m.rawMetricsRow(r, ev.userKeys[i] as string, 1))],
  ['normalizedEventRow', () => ev.normalized.map((e) => m.normalizedEventRow(e))],
];
console.log(`mappers: ${N} events, ${commit} vs working tree, loadavg=${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (let round = 0; round < 4; round++) {
  for (const [label, m] of (round % 2 === 0 ? [[commit, previous], ['current', current]] : [['current', current], [commit, previous]]) as [string, Rows][]) {
    for (const [name, run] of mappers(m)) {
      const c0 = cpuMs();
      run();
      (runs[`${name}|${label}`] ??= []).push(((cpuMs() - c0) * 1000) / N);
    }
  }
}
console.log('| mapper | version | CPU us/row best | median |\n|---|---|---:|---:|');
for (const [key, xs] of Object.entries(runs)) {
  const [name, label] = key.split('|');
  const s = [...xs].sort((a, b) => a - b);
  console.log(`| ${name} | ${label} | ${(s[0] as number).toFixed(2)} | ${(((s[1] as number) + (s[2] as number)) / 2).toFixed(2)} |`);
}
console.log(`loadavg=${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
