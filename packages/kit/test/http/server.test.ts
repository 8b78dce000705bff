import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer, runChecks } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';

let server: HttpServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${server?.port ?? 0}${path}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('HttpServer', () => {
  it('serves /livez, /readyz (all checks pass), /metrics and 404', async () => {
    const metrics = createMetrics();
    metrics.consumed.inc({ topic: 'exec.request.received.v1' }, 2);
    server = new HttpServer({ port: 0, registry: metrics.registry, checks: [{ name: 'kafka', check: async () => {} }, { name: 'registry', check: async () => {} }] });
    await server.start();
    expect(server.port).toBeGreaterThan(0);
    expect(await get('/livez')).toMatchObject({ status: 200, body: 'ok\n' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, checks: { kafka: { ok: true }, registry: { ok: true } } });
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.body).toContain('warmcast_messages_consumed_total{topic="exec.request.received.v1"} 2');
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers 503 naming the failing check', async () => {
    server = new HttpServer({ port: 0, registry: createMetrics().registry, checks: [
      { name: 'kafka', check: async () => {} },
      { name: 'clickhouse', check: async () => { throw new Error('ECONNREFUSED 127.0.0.1:8123'); } },
    ] });
    await server.start();
    const r = await get('/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toEqual({ ready: false, checks: { kafka: { ok: true }, clickhouse: { ok: false, error: 'ECONNREFUSED 127.0.0.1:8123' } } });
  });
});

describe('runChecks', () => {
  it('counts a check that never settles as failed after the timeout', async () => {
    const report = await runChecks([{ name: 'hang', check: () => new Promise<void>(() => {}) }], 5);
    expect(report).toEqual({ ready: false, checks: { hang: { ok: false, error: 'timed out after 5 ms' } } });
  });
});
