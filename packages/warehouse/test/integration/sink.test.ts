// The sink end to end on the embedded broker + registry + chDB: one value per sunk topic
// published with the kit's TypedProducer lands as rows; a poison message and a NaN forecast
// are dead-lettered and then stored in dead_letters; offsets are committed once rows are stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createClient } from '@clickhouse/client';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { KitService, Topics, parseConfig } from '@warmcast/kit';
import { ENDPOINT_FILE, SINK_TOPICS, Tables, createWarehouseService, createWarehouseSink, openWarehouse } from '../../src/index.ts';
import type { Warehouse, WarehouseSink } from '../../src/index.ts';
import { sinkFixtures } from '../fixtures.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let dir: string;
let wh: Warehouse;
let sink: WarehouseSink;
let publisher: KitService;
const silent = pino({ level: process.env['WH_TEST_LOG'] ?? 'silent' });

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) { // up to ~60 s on a loaded 2-core machine; not a speed assertion
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), 'warmcast-wh-sink-'));
  wh = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {} });
  const config = (clientId: string) => parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId, groupId: clientId, httpPort: 0, logLevel: 'silent' });
  sink = createWarehouseSink({ config: config('warehouse'), warehouse: wh, logger: silent, maxDelayMs: 50 });
  publisher = new KitService({ config: config('publisher'), logger: silent });
  await publisher.start();
  await sink.start();
});

afterAll(async () => {
  await sink?.close();
  await publisher?.close();
  await wh?.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('warehouse sink', () => {
  it('stores one value per sunk topic, dead-letters what cannot be stored, and commits after storing', async () => {
    for (const topic of SINK_TOPICS) {
      await publisher.producer.send(topic, [{ key: sinkFixtures[topic].key, value: sinkFixtures[topic].value as never }]);
    }
    const f = sinkFixtures[Topics.forecastUserPublished].value;
    await publisher.producer.send(Topics.forecastUserPublished, [{ key: 'u:nan', value: { ...f, userKey: 'u:nan', horizons: [{ ...f.horizons[0]!, pAny: Number.NaN }] } }]);
    const raw = stack.kafka('poison').producer();
    await raw.connect();
    await raw.send({ topic: Topics.poolStatusReported, messages: [{ key: 'p', value: Buffer.from('not avro at all') }] });
    await raw.disconnect();

    const counts = async () => Object.fromEntries((await wh.query<{ t: string; n: number }>(
      Object.values(Tables).filter((t) => !['schema_migrations', 'raw_requests', 'raw_metrics', 'normalized_events', 'user_minute_requests', 'user_minute_usage', 'runtime_minute_starts'].includes(t))
        .map((t) => `SELECT '${t}' AS t, count() AS n FROM ${t}`).join(' UNION ALL '))).map((r) => [r.t, r.n]));
    const got = await until('rows', counts, (c) => c['dead_letters'] === 3);
    expect(got).toEqual({
      forecasts: 4, request_needs: 1, forecast_accuracy: 1, demand: 1, cluster_load: 1, commands: 1, command_results: 1,
      pool_status: 1, pool_outcomes: 1, anomalies: 1, dead_letters: 3,
    });
    const [normalizedRows] = await wh.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.normalizedEvents}`);
    expect(Number(normalizedRows?.n)).toBe(1);
    const dead = await wh.query(`SELECT source_topic, reason_code, service FROM ${Tables.deadLetters} ORDER BY source_topic, reason_code`);
    expect(dead).toEqual([
      { source_topic: 'exec.request.received.v1', reason_code: 'DECODE_FAILED', service: 'ingest' },
      { source_topic: Topics.forecastUserPublished, reason_code: 'VALIDATION_FAILED', service: 'warehouse' },
      { source_topic: Topics.poolStatusReported, reason_code: 'DECODE_FAILED', service: 'warehouse' },
    ]);
    const [poison] = await wh.query<{ v: string }>(`SELECT base64Decode(value_base64) AS v FROM ${Tables.deadLetters} WHERE source_topic = {t:String}`, { t: Topics.poolStatusReported });
    expect(poison?.v).toBe('not avro at all');

    // Every offset is committed once its rows are stored (and the dead letters acked).
    const admin = stack.kafka('offsets').admin();
    await admin.connect();
    const committed = await until('commits', async () => Object.fromEntries(await Promise.all(SINK_TOPICS.map(async (topic) => {
      const [o] = await admin.fetchOffsets({ groupId: 'warehouse', topics: [topic] });
      return [topic, Number(o?.partitions[0]?.offset ?? -1)];
    }))), (c) => c[Topics.opsDeadletter] === 3);
    await admin.disconnect();
    expect(committed).toEqual({
      ...Object.fromEntries(SINK_TOPICS.map((t) => [t, 1])),
      [Topics.forecastUserPublished]: 2, [Topics.poolStatusReported]: 2, [Topics.opsDeadletter]: 3,
    });
    // 11 fixtures + the NaN forecast + the poison message + the 2 dead letters the sink wrote.
    expect(sink.stats()).toMatchObject({ messages: 15, deadLettered: 2, 'rows.forecasts': 4, 'rows.dead_letters': 3, pendingRows: 0 });
  });

  it('as a service: opens the warehouse, serves it over HTTP (recorded in endpoint.json), sinks, and closes in reverse', async () => {
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId: 'warehouse-svc', groupId: 'warehouse-svc', httpPort: 0, logLevel: 'silent' });
    // Same chDB directory as the file's warehouse: one process may hold several connections to one directory.
    const svc = createWarehouseService({ config, logger: silent, dataDir: wh.location, env: {}, sink: { topics: [Topics.provisionCommandIssued], maxDelayMs: 50 } });
    await svc.start();
    try {
      expect(svc.endpointUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(wh.location, ENDPOINT_FILE))).toBe(true);
      await until('service sink', async () => svc.stats()['messages'] ?? 0, (n) => n >= 1);
      const client = createClient({ url: svc.endpointUrl });
      const rs = await client.query({ query: `SELECT count() AS n FROM ${Tables.commands} FINAL`, format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ n: 1 }]); // the re-read command collapsed with the first one
      await client.close();
    } finally {
      await svc.close();
    }
    expect(existsSync(join(wh.location, ENDPOINT_FILE))).toBe(false);
    expect(svc.stats()['rows.commands']).toBeGreaterThanOrEqual(1); // counts stay readable after close, for a final summary
    expect(await wh.query(`SELECT count() AS n FROM ${Tables.commands} FINAL`)).toEqual([{ n: 1 }]); // the file's own connection still works
  });
});
