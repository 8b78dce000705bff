// At-least-once: the service "dies" after rows are stored and events forwarded but before the
// offsets are committed (the beforeCommit seam throws and the service is abandoned). A new
// instance in the same group gets everything again: nothing is lost, ClickHouse collapses the
// repeats (ReplacingMergeTree, read with FINAL), and the normalized topic carries every event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import { createIngestService } from '../../src/service.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { readTopic } from './read-topic.ts';
import { metrics, request } from '../fixtures.ts';

const key = { id: 'test', secret: Buffer.alloc(32, 6) };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.prepare(2);
}, 60_000);
afterAll(async () => { await stack?.stop(); }, 60_000);

async function committed(): Promise<number> {
  const admin = stack.kafka('admin').admin();
  await admin.connect();
  const offsets = await admin.fetchOffsets({ groupId: 'ingest', topics: [Topics.execRequestReceived, Topics.execMetricsReported] });
  await admin.disconnect();
  return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

describe('crash between store and commit', () => {
  it('re-delivers everything whose offsets were not committed; no event is lost', async () => {
    const seed = await stack.producer();
    const now = Date.now();
    const N = 40;
    const reqs = Array.from({ length: N }, (_, i) => request({ requestId: `c-${i}`, userId: `u${i % 4}`, eventTime: now - 30_000 + i, producedAt: now - 30_000 + i }));
    await seed.send(Topics.execRequestReceived, reqs.map((value) => ({ key: value.userId, value })));
    await seed.send(Topics.execMetricsReported, reqs.map((r) => ({ key: r.userId, value: metrics({ requestId: r.requestId, userId: r.userId, functionId: r.functionId, finishedAt: r.eventTime + 500, producedAt: r.eventTime + 500 }) })));
    await seed.close();

    // Invariant at every commit attempt: offsets about to be committed <= rows already stored
    // (every input here is valid, so each input offset has exactly one row once stored).
    let rowsAtCommit = -1;
    const violations: string[] = [];
    const latest = new Map<string, number>();
    const first = createIngestService({
      config: stack.config(), warehouse: stack.warehouse, hmacKey: key, options: { batchMaxDelayMs: 20 },
      beforeCommit: async (points) => {
        for (const p of points) latest.set(`${p.topic}/${p.partition}`, Number(p.offset));
        const offsets = [...latest.values()].reduce((a, b) => a + b, 0);
        const [r] = await stack.warehouse.query<{ n: number }>('SELECT (SELECT count() FROM raw_requests) + (SELECT count() FROM raw_metrics) AS n');
        if (rowsAtCommit < 0) rowsAtCommit = r?.n ?? 0;
        if ((r?.n ?? 0) < offsets) violations.push(`commit of ${offsets} offsets with ${r?.n} rows stored`);
        throw new Error('crash: killed between insert and commit');
      },
    });
    await first.start();
    await expect.poll(() => first.stats()['forwarded'], { timeout: 30_000 }).toBe(N);
    await first.close().catch(() => undefined); // the seam keeps failing: nothing gets committed
    expect(rowsAtCommit).toBeGreaterThan(0); // rows were stored before the (failed) commit
    expect(latest.size).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(await committed()).toBe(0);

    const second = createIngestService({ config: stack.config(), warehouse: stack.warehouse, hmacKey: key, options: { batchMaxDelayMs: 20 } });
    await second.start();
    await expect.poll(() => second.stats()['rowsStored'], { timeout: 30_000 }).toBe(2 * N);
    await second.close();
    expect(await committed()).toBe(2 * N); // every input offset committed now

    const events = await readTopic(stack.kafka(), stack.registryUrl, Topics.execEventNormalized, 2 * N);
    expect(events).toHaveLength(2 * N); // at-least-once: each event twice, same eventId
    expect(new Set(events.map((e) => e.value.eventId)).size).toBe(N);
    const rows = await stack.warehouse.query<{ all: number; distinct: number }>('SELECT count() AS all, uniqExact(request_id) AS distinct FROM raw_requests');
    expect(rows[0]).toEqual({ all: 2 * N, distinct: N });
    const final = await stack.warehouse.query<{ n: number }>('SELECT count() AS n FROM raw_requests FINAL');
    expect(final[0]?.n).toBe(N);
  }, 120_000);
});
