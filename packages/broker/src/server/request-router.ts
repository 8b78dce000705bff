/**
 * Turns one request frame into one outcome: a response frame, no response (Produce acks=0),
 * or "close this connection" with a reason. Nothing here throws for bad input: a malformed
 * frame is data (an outcome), so the connection can log one line and close only itself.
 *
 * Kafka's behaviour, which we follow:
 * - unknown API key: Kafka's SocketServer fails to parse the header and closes the connection.
 * - unsupported version of ApiVersions: a v0-format body with error 35 (UNSUPPORTED_VERSION)
 *   and the ApiVersions range (KIP-511; librdkafka relies on it, CLIENT_NOTES §2.1).
 * - unsupported version of any other known API: Kafka 3.8 fails in RequestContext.parseRequest
 *   ("Unsupported version ...") and closes the connection; so do we.
 */
import { decodeRequest, decodeRequestHeader, encodeResponse, encodeResponseChunks } from '@warmcast/kafka-protocol';
import type { ApiHandler, RequestContext } from '../handlers/handler.ts';
import type { ReadArena } from '../storage/index.ts';
import type { BrokerContext } from './context.ts';

export type Outcome =
  /** The response frame as chunks for one writev: record sets are views (of the read arena), not copies. */
  | { readonly kind: 'response'; readonly chunks: readonly Uint8Array[]; readonly apiKey: number }
  | { readonly kind: 'none'; readonly apiKey: number }
  | { readonly kind: 'close'; readonly reason: string; readonly apiKey?: number; readonly apiVersion?: number; readonly err?: unknown };

export interface ConnectionInfo {
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly signal: AbortSignal;
  /** See RequestContext.readArena. */
  readonly readArena?: ReadArena;
}

const API_VERSIONS_KEY = 18;
const UNSUPPORTED_VERSION = 35;

export class RequestRouter {
  private readonly byKey = new Map<number, ApiHandler>();

  constructor(handlers: readonly ApiHandler[]) {
    for (const h of handlers) {
      if (this.byKey.has(h.apiKey)) throw new TypeError(`two handlers for API key ${h.apiKey}`);
      this.byKey.set(h.apiKey, h);
    }
  }

  async route(broker: BrokerContext, frame: Buffer, conn: ConnectionInfo): Promise<Outcome> {
    let header: { requestApiKey: number; requestApiVersion: number; correlationId: number; clientId: string | null };
    let bodyOffset: number;
    try {
      ({ header, bodyOffset } = decodeRequestHeader(frame));
    } catch (err) {
      return { kind: 'close', reason: 'undecodable request header', err };
    }
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    const handler = this.byKey.get(apiKey);
    if (handler === undefined) return { kind: 'close', reason: 'unknown API key', apiKey, apiVersion: version };
    if (version < handler.minVersion || version > handler.maxVersion) {
      if (apiKey !== API_VERSIONS_KEY) return { kind: 'close', reason: 'unsupported API version', apiKey, apiVersion: version };
      const body = { errorCode: UNSUPPORTED_VERSION, apiKeys: [{ apiKey, minVersion: handler.minVersion, maxVersion: handler.maxVersion }] };
      return { kind: 'response', apiKey, chunks: [encodeResponse(apiKey, 0, header.correlationId, body)] };
    }
    let request: unknown;
    try {
      request = decodeRequest(apiKey, version, frame, bodyOffset);
    } catch (err) {
      return { kind: 'close', reason: 'undecodable request body', apiKey, apiVersion: version, err };
    }
    const ctx: RequestContext = {
      apiVersion: version,
      correlationId: header.correlationId,
      clientId: header.clientId,
      connectionId: conn.connectionId,
      nowMs: broker.clock.now(),
      signal: conn.signal,
      clientHost: conn.remoteAddress,
      ...(conn.readArena === undefined ? {} : { readArena: conn.readArena }),
    };
    let body: unknown;
    try {
      body = await handler.handle(broker, request, ctx);
    } catch (err) {
      // A handler bug or a storage failure we did not map: Kafka would answer
      // UNKNOWN_SERVER_ERROR per partition; without a per-API error shape we close instead.
      return { kind: 'close', reason: 'handler failed', apiKey, apiVersion: version, err };
    }
    if (body === null) return { kind: 'none', apiKey };
    try {
      // Chunks, not one frame: a 12-partition Fetch answer used to be copied whole (~25 MB) into
      // a fresh buffer before the socket copied it again.
      return { kind: 'response', apiKey, chunks: encodeResponseChunks(apiKey, version, header.correlationId, body as object) };
    } catch (err) {
      return { kind: 'close', reason: 'response encoding failed', apiKey, apiVersion: version, err };
    }
  }
}
