// The service HTTP port: /metrics (Prometheus text), /livez (process up), /readyz (injected
// checks: Kafka, registry, ClickHouse; 503 with the failing check names when any fails).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { errorMessage } from '../errors.ts';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when ready; rejects (with a reason) when not. */
  check(): Promise<void>;
}

export interface HttpServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  readonly checks: readonly ReadinessCheck[];
  /** A check slower than this counts as failed (ms). */
  readonly checkTimeoutMs?: number;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, { ok: boolean; error?: string }>;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<void>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function runChecks(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map(async (c) => {
    try { await withTimeout(c.check(), timeoutMs); return [c.name, { ok: true }] as const; } catch (err) { return [c.name, { ok: false, error: errorMessage(err) }] as const; }
  }));
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

export class HttpServer {
  private readonly options: HttpServerOptions;
  private server: Server | undefined;
  private closing = false;

  constructor(options: HttpServerOptions) {
    this.options = options;
  }

  get port(): number {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr !== null ? (addr as AddressInfo).port : 0;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const send = (status: number, type: string, body: string): void => { res.writeHead(status, { 'content-type': type }); res.end(body); };
      if (req.method !== 'GET') { send(405, 'text/plain', 'method not allowed\n'); return; }
      if (path === '/livez') { send(200, 'text/plain', 'ok\n'); return; }
      if (path === '/readyz') {
        if (this.closing) { send(503, 'application/json', JSON.stringify({ ready: false, checks: { shutdown: { ok: false, error: 'closing' } } })); return; }
        runChecks(this.options.checks, this.options.checkTimeoutMs ?? 2000).then(
          (report) => send(report.ready ? 200 : 503, 'application/json', JSON.stringify(report)),
          (err: unknown) => send(500, 'text/plain', `${errorMessage(err)}\n`),
        );
        return;
      }
      if (path === '/metrics') {
        this.options.registry.metrics().then(
          (text) => send(200, this.options.registry.contentType, text),
          (err: unknown) => send(500, 'text/plain', `${errorMessage(err)}\n`),
        );
        return;
      }
      send(404, 'text/plain', 'not found\n');
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
  }

  /** Marks not-ready first (load balancers stop sending), then stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    if (server === undefined) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
