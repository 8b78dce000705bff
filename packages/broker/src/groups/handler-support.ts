import type { RequestContext } from '../handlers/handler.ts';

/** Wire bytes for the codec: Buffers pass through, other Uint8Arrays are wrapped (no copy). */
export function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Kafka shows a member's host as "/" + its IP. RequestContext has no remote address yet, so
 * this reads an optional `clientHost` / `remoteAddress` if the server adds one, else a loopback
 * placeholder (the embedded broker listens on loopback only).
 */
export function clientHostOf(ctx: RequestContext): string {
  const extra = ctx as RequestContext & { clientHost?: string; remoteAddress?: string };
  const host = extra.clientHost ?? extra.remoteAddress;
  if (host === undefined || host === '') return '/127.0.0.1';
  return host.startsWith('/') ? host : `/${host}`;
}
