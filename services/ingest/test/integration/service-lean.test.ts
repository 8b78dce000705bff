// The service with forwarder=lean end to end (broker + registry + chDB): same outputs as the
// kafkajs forwarder, keyed by userKey, read back with kafkajs. Consumer: lean (the default),
// then the same input again through the kafkajs consumer in another group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import { createIngestService } from '../../src/service.ts';
import { hmacUserKey } from '../../src/core/pseudonym.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { readTopic } from './read-topic.ts';
import { metrics, request } from '../fixtures.ts';

const key = { id: 'test', secret: Buffer.alloc(32, 4) };
let stack: Stack;
beforeAll(async () => { stack = await startStack(); await stack.prepare(3); }, 60_000);
afterAll(async () => { await stack?.stop(); }, 60_000);

describe('ingest service with the lean forwarder', () => {
  it('stores rows and forwards PAIRED events keyed by the HMAC', async () => {
    const seed = await stack.producer();
    const now = Date.now();
    const reqs = Array.from({ length: 24 }, (_, i) => request({ requestId: `l-${i}`, userId: `lean-user-${i % 5}`, eventTime: now - 10_000 + i, producedAt: now - 10_000 + i }));
    await seed.send(Topics.execRequestReceived, reqs.map((value) => ({ key: value.userId, value })));
    await seed.send(Topics.execMetricsReported, reqs.map((r) => ({ key: r.userId, value: metrics({ requestId: r.requestId, userId: r.userId, functionId: r.functionId, finishedAt: r.eventTime + 300, producedAt: r.eventTime + 300 }) })));
    await seed.close();
    const service = createIngestService({ config: stack.config(), warehouse: stack.warehouse, hmacKey: key, options: { forwarder: 'lean', batchMaxDelayMs: 20 } });
    await service.start();
    const events = await readTopic(stack.kafka(), stack.registryUrl, Topics.execEventNormalized, 24);
    await expect.poll(() => service.stats()['commits'], { timeout: 20_000 }).toBeGreaterThan(0);
    await service.close();
    expect(events).toHaveLength(24);
    for (const e of events) {
      expect(e.value.kind).toBe('PAIRED');
      expect(e.key).toBe(hmacUserKey(key.secret, `lean-user-${Number(e.value.requestId.slice(2)) % 5}`));
    }
    const [n] = await stack.warehouse.query<{ n: number }>('SELECT count() AS n FROM raw_metrics');
    expect(n?.n).toBe(24);
  }, 90_000);

  it('does the same on the kafkajs consumer (consumer=kafkajs)', async () => {
    const service = createIngestService({ config: stack.config({ groupId: 'ingest-kafkajs' }), warehouse: stack.warehouse, hmacKey: key, options: { forwarder: 'lean', consumer: 'kafkajs', batchMaxDelayMs: 20 } });
    await service.start();
    await expect.poll(() => service.stats()['commits'] ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => service.stats()['forwarded'], { timeout: 20_000 }).toBe(24);
    const stats = service.stats();
    await service.close();
    expect(stats).toMatchObject({ requests: 24, metrics: 24, paired: 24, rejected: 0 });
    const [n] = await stack.warehouse.query<{ n: number }>('SELECT count() AS n FROM raw_metrics');
    expect(n?.n).toBe(48); // this group's 24 beside the first test's 24
  }, 90_000);
});
