import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCodes, registryError } from '../core/index.ts';
import type { RegistryError } from '../core/index.ts';
import { matchRoute } from './routes.ts';
import type { RouteOutput } from './routes.ts';
import type { RegistryService } from './service.ts';

export const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** 16 MiB: far above any real Avro schema (the largest in our topics is ~4 KB), bounds memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: RegistryError): void {
  send(res, e.httpStatus, JSON.stringify({ error_code: e.errorCode, message: e.message }));
}

async function readBody(req: IncomingMessage): Promise<{ ok: true; body: unknown } | { ok: false; error: RegistryError }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, error: registryError(ErrorCodes.BAD_REQUEST, `Request body larger than ${MAX_BODY_BYTES} bytes`) };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: registryError(ErrorCodes.BAD_REQUEST, `Request body is not JSON: ${(err as Error).message}`, err) };
  }
}

/** Splits and URL-decodes the path; the client encodes subjects with encodeURIComponent. */
function segmentsOf(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/** The node:http request listener: route, run, reply JSON with SR's content type. */
export function createHandler(svc: RegistryService, log: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const segments = segmentsOf(url.pathname);
    const method = req.method ?? 'GET';
    const match = segments === null ? ({ kind: 'not-found' } as const) : matchRoute(method, segments);
    if (match.kind !== 'route') {
      req.resume();
      const e =
        match.kind === 'not-found'
          ? registryError(ErrorCodes.ROUTE_NOT_FOUND, 'HTTP 404 Not Found')
          : registryError(ErrorCodes.METHOD_NOT_ALLOWED, 'HTTP 405 Method Not Allowed');
      log.debug({ method, path: url.pathname, status: e.httpStatus }, 'no such route');
      return sendError(res, e);
    }
    const body = await readBody(req);
    if (!body.ok) return sendError(res, body.error);
    const out: RouteOutput = await match.route.handle(svc, { params: match.params, query: url.searchParams, body: body.body });
    if (!out.ok) {
      const e = out.error;
      if (e.httpStatus >= 500) log.error({ err: e.cause, errorCode: e.errorCode, method, path: url.pathname }, e.message);
      else log.debug({ errorCode: e.errorCode, method, path: url.pathname }, 'request refused');
      return sendError(res, e);
    }
    send(res, 200, 'raw' in out ? out.raw : JSON.stringify(out.value));
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'unexpected error while handling a request');
      if (!res.headersSent) sendError(res, registryError(ErrorCodes.STORE_ERROR, 'Internal error', err));
      else res.destroy();
    });
  };
}
