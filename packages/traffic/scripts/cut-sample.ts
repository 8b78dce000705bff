// Regenerates samples/azure-functions-2019-mini from the shared day sample:
//   node --import tsx packages/traffic/scripts/cut-sample.ts [SOURCE_DIR] [OUT_DIR] [COUNT]
// defaults: /work/shared/data/azure-functions-2019, <repo>/samples/azure-functions-2019-mini, 100.
//
// Rule: the COUNT functions whose HashFunction sorts first (plain string order of the hex).
// The hashes are salted HMAC-SHA256 values, so this order is unrelated to anything a function
// does: a uniform random sample fixed in advance, not chosen by looking at the data. Every
// row is copied byte for byte: all 1440 minute columns of day-inv.csv, the day-run.csv rows of
// those (app, function) pairs and the day-mem.csv rows of their apps, in source order.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const source = process.argv[2] ?? '/work/shared/data/azure-functions-2019';
const out = process.argv[3] ?? join(repo, 'samples/azure-functions-2019-mini');
const count = Number(process.argv[4] ?? 100);

function lines(file: string): { header: string; rows: string[] } {
  const all = readFileSync(join(source, file), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  return { header: all[0] ?? '', rows: all.slice(1) };
}
const cols = (l: string): string[] => l.split(',');

const inv = lines('day-inv.csv');
const ih = cols(inv.header);
const [iF, iA] = [ih.indexOf('HashFunction'), ih.indexOf('HashApp')];
const chosen = new Set(inv.rows.map((r) => cols(r)[iF] ?? '').sort().slice(0, count));
const invRows = inv.rows.filter((r) => chosen.has(cols(r)[iF] ?? ''));
const pairs = new Set(invRows.map((r) => `${cols(r)[iA]}|${cols(r)[iF]}`));
const apps = new Set(invRows.map((r) => cols(r)[iA] ?? ''));

const run = lines('day-run.csv');
const rh = cols(run.header);
const runRows = run.rows.filter((r) => pairs.has(`${cols(r)[rh.indexOf('HashApp')]}|${cols(r)[rh.indexOf('HashFunction')]}`));
const mem = lines('day-mem.csv');
const memRows = mem.rows.filter((r) => apps.has(cols(r)[cols(mem.header).indexOf('HashApp')] ?? ''));

mkdirSync(out, { recursive: true });
const write = (file: string, header: string, rows: string[]): void => writeFileSync(join(out, file), [header, ...rows].join('\n') + '\n');
write('day-inv.csv', inv.header, invRows);
write('day-run.csv', run.header, runRows);
write('day-mem.csv', mem.header, memRows);
const invocations = invRows.reduce((s, r) => s + cols(r).slice(ih.indexOf('minute_1')).reduce((a, c) => a + Number(c), 0), 0);
process.stdout.write(`${out}: ${invRows.length} functions (of ${inv.rows.length}), ${runRows.length} duration rows, ${memRows.length} memory rows, ${invocations} invocations\n`);
