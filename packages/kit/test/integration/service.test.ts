// KitService end to end on the embedded broker and registry: schemas registered at start,
// /livez, /readyz and /metrics on the HTTP port, a consumer handled through the service,
// and close() in order (consumers, sinks, producers, http).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { fixtures } from './fixtures.ts';
import { KitService } from '../../src/service.ts';
import { parseConfig } from '../../src/config.ts';
import { Topics } from '../../src/generated/catalogue.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.createTopics([Topics.poolStatusReported, Topics.opsDeadletter]);
});
afterAll(async () => { await stack?.stop(); });

describe('KitService', () => {
  it('starts, serves probes and metrics, consumes, and closes sinks after consumers', async () => {
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, httpPort: 0, clientId: 'svc-test', groupId: 'svc-test', logLevel: 'silent' });
    const order: string[] = [];
    const seen: string[] = [];
    const service = new KitService({ config, logger: pino({ level: 'silent' }), checks: [{ name: 'clickhouse', check: async () => {} }] })
      .consume(Topics.poolStatusReported, async (m) => { seen.push(m.value.poolId); })
      .addSink({ name: 'sink', start: async () => { order.push('sink start'); }, close: async () => { order.push(`sink close (seen ${seen.length})`); } });
    await service.start();
    const base = `http://127.0.0.1:${service.http.port}`;
    try {
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toEqual({ ready: true, checks: { kafka: { ok: true }, registry: { ok: true }, clickhouse: { ok: true } } });
      expect(ready.status).toBe(200);

      await service.producer.send(Topics.poolStatusReported, [{ key: 'p1', value: { ...fixtures[Topics.poolStatusReported].value, poolId: 'p1' } }]);
      await new Promise<void>((resolve) => { const t = setInterval(() => { if (seen.length === 1) { clearInterval(t); resolve(); } }, 20); });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('warmcast_messages_consumed_total{topic="pool.status.reported.v1"} 1');
      expect(metrics).toContain('warmcast_messages_produced_total{topic="pool.status.reported.v1"} 1');
      expect(metrics).toContain('warmcast_process_cpu_seconds_total');
    } finally {
      await service.close();
    }
    expect(order).toEqual(['sink start', 'sink close (seen 1)']);
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
  });
});
