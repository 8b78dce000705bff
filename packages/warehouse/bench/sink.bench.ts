// Sink throughput on the embedded broker + registry + chDB: publish N user forecasts (4 horizons
// each -> 4 forecast rows + 1 request_needs row) and time until every row is stored and every
// offset committed. `node --import tsx packages/warehouse/bench/sink.bench.ts [N] [partitions]`
// Prints one JSON line. Figures depend on the machine's load (2 shared cores here).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { KitService, Topics, parseConfig } from '@warmcast/kit';
import { Tables, createWarehouseSink, openWarehouse } from '../src/index.ts';
import { sinkFixtures } from '../test/fixtures.ts';
import { startStack } from '../test/integration/stack.ts';

const n = Number(process.argv[2] ?? 20_000);
const silent = pino({ level: 'silent' });
const stack = await startStack();
const dir = await mkdtemp(join(tmpdir(), 'warmcast-wh-bench-'));
const wh = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
const config = (id: string) => parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId: id, groupId: id, httpPort: 0, logLevel: 'silent' });
const publisher = new KitService({ config: config('bench-publisher'), logger: silent });
await publisher.start();
const base = sinkFixtures[Topics.forecastUserPublished].value;
const t0 = Date.now();
for (let i = 0; i < n; i += 1000) {
  const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ key: `u:${i + j}`, value: { ...base, userKey: `u:${i + j}` } }));
  await publisher.producer.send(Topics.forecastUserPublished, batch);
}
const publishedMs = Date.now() - t0;
const sink = createWarehouseSink({ config: config('bench-sink'), warehouse: wh, logger: silent, topics: [Topics.forecastUserPublished] });
const t1 = Date.now();
await sink.start();
for (;;) {
  const [r] = await wh.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.requestNeeds}`);
  if ((r?.n ?? 0) >= n && (sink.stats()['messages'] ?? 0) >= n) break;
  await new Promise((res) => setTimeout(res, 200));
}
const storedMs = Date.now() - t1;
const stats = sink.stats();
await sink.close();
await publisher.close();
await wh.close();
await stack.stop();
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ forecasts: n, forecastRows: stats['rows.forecasts'], publishedMs, sinkMs: storedMs, forecastsPerSec: Math.round(n / (storedMs / 1000)), rowsPerSec: Math.round((n * 5) / (storedMs / 1000)), batches: stats['batches'] })}\n`);
