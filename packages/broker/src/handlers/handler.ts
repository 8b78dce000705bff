import type { BrokerContext } from '../server/context.ts';
import type { ReadArena } from '../storage/index.ts';

/** What a handler knows about the request it serves (besides the decoded body). */
export interface RequestContext {
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** The client's IP address as the socket reports it (e.g. "127.0.0.1"); Kafka shows it as "/127.0.0.1". */
  readonly clientHost?: string;
  /** Stable id of the TCP connection (for logs and per-connection state). */
  readonly connectionId: number;
  /** Wall-clock ms when the request was decoded, from the broker's injected clock. */
  readonly nowMs: number;
  /** Aborted when the connection closes or the broker shuts down: long polls must give up. */
  readonly signal: AbortSignal;
  /**
   * Memory for the record sets this request reads (Fetch), free again once its response has been
   * written to the socket; reset() before use. Absent: plain allocations.
   */
  readonly readArena?: ReadArena;
}

/**
 * One Kafka API. One file per API key under handlers/, each starting with a comment block:
 * supported versions, behaviour, and what differs from Apache Kafka.
 * `handle` returns the response body (a partial object is fine: missing fields encode as their
 * defaults), or null when Kafka sends no response (Produce with acks=0).
 */
export interface ApiHandler<Req = unknown, Res = unknown> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(broker: BrokerContext, request: Req, ctx: RequestContext): Promise<Res | null> | Res | null;
}
