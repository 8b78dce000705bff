// The ingest service on the embedded broker + registry + chDB: valid events become raw rows
// and normalized events; malformed bytes and invalid events are dead-lettered with reasons
// while the rest flow on; raw user ids reach neither ClickHouse nor the normalized topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import type { TypedProducer } from '@warmcast/kit';
import { createIngestService } from '../../src/service.ts';
import type { IngestService } from '../../src/service-types.ts';
import { hmacUserKey } from '../../src/core/pseudonym.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { readTopic } from './read-topic.ts';
import { metrics, request } from '../fixtures.ts';

const key = { id: 'test', secret: Buffer.alloc(32, 5) };
const USERS = ['user-alice@example.com', 'user-bob@example.com', 'user-carol@example.com'];
const PY = 'import os\n\ndef f(x):\n    if x:\n        return os.sep\n    return None\n';

let stack: Stack;
let seed: TypedProducer;
let service: IngestService;

beforeAll(async () => {
  stack = await startStack();
  await stack.prepare(2);
  seed = await stack.producer();
}, 60_000);

afterAll(async () => {
  await service?.close().catch(() => undefined);
  await seed?.close();
  await stack?.stop();
}, 60_000);

describe('ingest service (broker + registry + chDB)', () => {
  it('stores raw rows, forwards normalized events, dead-letters bad input with reasons, and never leaks raw user ids', async () => {
    const now = Date.now();
    const N = 30;
    const reqs = Array.from({ length: N }, (_, i) => request({
      requestId: `req-${i}`, userId: USERS[i % 3]!, eventTime: now - 60_000 + i, producedAt: now - 60_000 + i + 5,
      sourceText: i % 5 === 0 ? PY : null, codeRef: `sha256:${i % 5}`,
    }));
    // Metrics for the first 20 only; 10 requests stay unpaired until close (not forwarded, re-delivered later).
    const mets = reqs.slice(0, 20).map((r, i) => metrics({ requestId: r.requestId, userId: r.userId, functionId: r.functionId, finishedAt: r.eventTime + 1500, producedAt: r.eventTime + 1600, durationMs: 1000 + i }));
    await seed.send(Topics.execRequestReceived, reqs.map((value) => ({ key: value.userId, value })));
    await seed.send(Topics.execMetricsReported, mets.map((value) => ({ key: value.userId, value })));
    // Invalid: priority 42, negative memory. Malformed: not Confluent framing at all.
    await seed.send(Topics.execRequestReceived, [{ key: 'user-x', value: request({ requestId: 'bad-priority', userId: 'user-x', priority: 42, eventTime: now - 1000, producedAt: now - 990 }) }]);
    await seed.send(Topics.execMetricsReported, [{ key: 'user-x', value: metrics({ requestId: 'bad-mem', userId: 'user-x', memoryPeakMb: -1, finishedAt: now - 1000, producedAt: now - 990 }) }]);
    const raw = stack.kafka('raw').producer();
    await raw.connect();
    await raw.send({ topic: Topics.execRequestReceived, messages: [{ key: 'user-y', value: Buffer.from('{"not":"avro"}') }] });
    await raw.disconnect();

    // Window 0 for this test's second half is not needed: 20 pairs form; 10 requests wait.
    service = createIngestService({ config: stack.config(), warehouse: stack.warehouse, hmacKey: key, options: { batchMaxDelayMs: 50 } });
    await service.start();

    const normalized = await readTopic(stack.kafka(), stack.registryUrl, Topics.execEventNormalized, 20);
    expect(normalized).toHaveLength(20);
    expect(new Set(normalized.map((n) => n.value.kind))).toEqual(new Set(['PAIRED']));
    for (const n of normalized) {
      const i = Number(n.value.requestId.slice(4));
      expect(n.key).toBe(hmacUserKey(key.secret, USERS[i % 3]!));
      expect(n.value.userKey).toBe(n.key);
      expect(n.value.metrics?.durationMs).toBe(1000 + i);
      if (i % 5 === 0) expect(n.value.codeFeatures).toEqual({ lines: 5, cyclomaticComplexity: 3, imports: 1, derivedFromSource: true });
      else expect(n.value.codeFeatures).toBeNull();
      for (const u of USERS) expect(n.raw.includes(Buffer.from(u))).toBe(false);
    }

    const dead = await readTopic(stack.kafka(), stack.registryUrl, Topics.opsDeadletter, 3);
    const reasons = dead.map((d) => `${d.value.sourceTopic} ${d.value.reasonCode} ${d.value.reasonText.split(':')[0]}`).sort();
    expect(reasons).toEqual([
      'exec.metrics.reported.v1 VALIDATION_FAILED RESOURCE_NEGATIVE',
      'exec.request.received.v1 DECODE_FAILED not Confluent wire format',
      'exec.request.received.v1 VALIDATION_FAILED PRIORITY_RANGE',
    ]);
    expect(dead.find((d) => d.value.reasonCode === 'DECODE_FAILED')?.value.value?.toString()).toBe('{"not":"avro"}');

    // Raw rows: all 31 valid requests? No: 30 valid requests + 20 metrics (the invalid ones are not stored).
    await expect.poll(async () => (await stack.warehouse.query<{ n: number }>('SELECT count() AS n FROM raw_requests'))[0]?.n, { timeout: 20_000 }).toBe(30);
    await expect.poll(async () => (await stack.warehouse.query<{ n: number }>('SELECT count() AS n FROM raw_metrics'))[0]?.n, { timeout: 20_000 }).toBe(20);
    const keys = await stack.warehouse.query<{ user_key: string }>('SELECT DISTINCT user_key FROM raw_requests ORDER BY user_key');
    expect(keys.map((k) => k.user_key)).toEqual(USERS.map((u) => hmacUserKey(key.secret, u)).sort());
    const dump = JSON.stringify(await stack.warehouse.query('SELECT * FROM raw_requests')) + JSON.stringify(await stack.warehouse.query('SELECT * FROM raw_metrics'));
    for (const u of USERS) expect(dump).not.toContain(u);
    const feat = await stack.warehouse.query<{ code_cyclomatic: number | null; source_bytes: number | null }>("SELECT code_cyclomatic, source_bytes FROM raw_requests WHERE request_id = 'req-5'");
    expect(feat[0]).toEqual({ code_cyclomatic: 3, source_bytes: Buffer.byteLength(PY) });

    const s = service.stats();
    expect(s).toMatchObject({ requests: 30, metrics: 20, rejected: 2, undecodable: 1, paired: 20, pending: 10, forwarded: 20 });
  }, 90_000);
});
