// serveClickHouseHttp: a small HTTP server that speaks enough of ClickHouse's HTTP interface for
// @clickhouse/client (query/insert/command/exec/ping) on top of a Warehouse, so `warmcast sql`
// and other tools can query a running stack whose chDB directory is locked (one process per
// directory). Every request runs through the warehouse's own client `exec`, so results come
// back in the format asked for (FORMAT clause or default_format, TabSeparated otherwise, as
// ClickHouse does). Binds 127.0.0.1 by default and has no authentication: anyone who can reach
// the port can read and write the warehouse. Only expose it on a trusted interface.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@warmcast/kit';
import { bindValues, clickHouseErrorText, parseHttpRequest, rowBinaryInsert } from '../core/http-request.ts';
import { binaryInsertDir, insertRowBinaryViaFile } from '../insert-file.ts';
import { returnsRows } from '../core/format.ts';
import type { Warehouse } from '../warehouse.ts';
import { removeEndpointFile, writeEndpointFile } from './endpoint-file.ts';

export interface ClickHouseHttpOptions {
  /** 0 = any free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Write <warehouse dir>/endpoint.json while serving (default: true for a chDB warehouse). */
  readonly record?: boolean;
  readonly logger?: Logger;
}

export interface ClickHouseHttpServer {
  readonly url: string;
  readonly port: number;
  stats(): Record<string, number>;
  close(): Promise<void>;
}

// 64 MiB: inserts larger than this should go through a real ClickHouse server.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function serveClickHouseHttp(warehouse: Warehouse, options: ClickHouseHttpOptions): Promise<ClickHouseHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const counts = { requests: 0, errors: 0 };
  const server = createServer((req, res) => {
    counts.requests += 1;
    handle(warehouse, req, res).catch((err: unknown) => {
      counts.errors += 1;
      options.logger?.warn({ err }, 'clickhouse http request failed');
      sendError(res, err);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const record = options.record ?? warehouse.mode === 'chdb';
  if (record) await writeEndpointFile(warehouse.location, { url, pid: process.pid });
  options.logger?.info({ url, record }, 'clickhouse http endpoint listening');
  return {
    url, port,
    stats: () => ({ ...counts }),
    async close() {
      if (record) await removeEndpointFile(warehouse.location, url);
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(warehouse: Warehouse, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const u = new URL(req.url ?? '/', 'http://endpoint');
  if (u.pathname === '/ping' || (u.pathname === '/' && req.method === 'GET' && !u.searchParams.has('query'))) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  if (u.pathname !== '/' || (req.method !== 'POST' && req.method !== 'GET')) {
    sendError(res, { code: 0, type: 'UNSUPPORTED_METHOD', message: `${req.method} ${u.pathname} is not supported (POST / or GET /?query=)` }, 404);
    return;
  }
  const parsed = parseHttpRequest(u.searchParams);
  if (!parsed.ok) {
    sendError(res, { code: 115, type: 'UNKNOWN_SETTING', message: parsed.problem }, 400);
    return;
  }
  const r = parsed.request;
  let body = await readBody(req);
  if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
  const binary = req.method !== 'POST' || r.urlQuery === null || body.length === 0 ? null : rowBinaryInsert(r.urlQuery);
  if (binary !== null) {
    await insertBinary(warehouse, binary, body);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Length': 0, 'X-ClickHouse-Query-Id': r.queryId ?? randomUUID() }).end();
    return;
  }
  const text = body.toString('utf8');
  // As in ClickHouse: the URL query comes first and the body continues it (an INSERT's rows).
  const sql = r.urlQuery ?? text;
  const values = r.urlQuery !== null && text.trim() !== '' ? text : undefined;
  if (sql.trim() === '') {
    sendError(res, { code: 62, type: 'SYNTAX_ERROR', message: 'Empty query' }, 400);
    return;
  }
  // As in ClickHouse, GET is read-only: a browser or a link must not change the warehouse.
  if (req.method === 'GET' && !returnsRows(sql)) {
    sendError(res, { code: 164, type: 'READONLY', message: 'GET requests are read-only; use POST for statements that change data' }, 400);
    return;
  }
  const bound = bindValues(sql, r.params);
  if (!bound.ok) {
    sendError(res, { code: 457, type: 'BAD_QUERY_PARAMETER', message: bound.problem }, 400);
    return;
  }
  const settings: Record<string, string> = { default_format: 'TabSeparated', ...r.settings };
  const queryId = r.queryId ?? randomUUID();
  const result = await warehouse.client.exec({
    query: sql,
    query_id: queryId,
    query_params: bound.values,
    clickhouse_settings: settings,
    ...(values === undefined ? {} : { values: Readable.from([values]) }),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const out = Buffer.concat(chunks);
  res.writeHead(200, {
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Length': out.length,
    'X-ClickHouse-Query-Id': queryId,
    'X-ClickHouse-Format': settings['default_format'] ?? 'TabSeparated',
    'X-ClickHouse-Summary': JSON.stringify(result.summary ?? {}),
  });
  res.end(out);
}

/** RowBinary rows into the named columns: their declared types (system.columns) are file()'s structure. */
async function insertBinary(warehouse: Warehouse, ins: { table: string; columns: readonly string[] }, body: Buffer): Promise<void> {
  const declared = await warehouse.query<{ name: string; type: string }>(
    'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {t:String}', { t: ins.table });
  const types = new Map(declared.map((c) => [c.name, c.type]));
  if (types.size === 0) throw Object.assign(new Error(`Table ${ins.table} does not exist`), { code: 60, type: 'UNKNOWN_TABLE' });
  const structure = ins.columns.map((c) => {
    const t = types.get(c);
    if (t === undefined) throw Object.assign(new Error(`No such column ${c} in table ${ins.table}`), { code: 16, type: 'NO_SUCH_COLUMN_IN_TABLE' });
    return `${c} ${t}`;
  }).join(', ');
  await insertRowBinaryViaFile((query, params) => warehouse.command(query, params), { table: ins.table, columns: ins.columns, structure, body }, binaryInsertDir());
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`request body over ${MAX_BODY_BYTES} bytes`), { code: 1000, type: 'TOO_LARGE_REQUEST' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, err: unknown, status = 500): void {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; type?: unknown; message?: unknown };
  const code = Number.isInteger(Number(e.code)) ? Number(e.code) : 1001;
  const type = typeof e.type === 'string' && /^[A-Z0-9_]+$/.test(e.type) ? e.type : 'STD_EXCEPTION';
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (res.headersSent) { res.destroy(); return; }
  const text = clickHouseErrorText(code, type, message);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
