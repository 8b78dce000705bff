import { ProtocolError, malformed } from './protocol-error.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';
import { API_SPECS, REQUEST_CODECS, RESPONSE_CODECS } from './generated/api-table.ts';
import type { ApiSpec, MessageCodec } from './generated/api-table.ts';
import { readRequestHeader, writeRequestHeader } from './generated/request-header.ts';
import type { RequestHeader } from './generated/request-header.ts';

/**
 * Frames: int32 size (excludes itself), header, body (CLIENT_NOTES.md 4).
 * Header versions (Kafka 3.8.0 ApiMessageTypeGenerator): request header v2 when the request
 * version is flexible, else v1 (ControlledShutdown(7) v0: v0); response header v1 when the
 * response version is flexible, else v0, and ApiVersions(18) responses always v0 (KIP-511).
 */

const SPEC_BY_KEY = new Map<number, ApiSpec>(API_SPECS.map((s) => [s.apiKey, s]));
const API_VERSIONS = 18;
const CONTROLLED_SHUTDOWN = 7;

export function apiSpec(apiKey: number): ApiSpec | undefined { return SPEC_BY_KEY.get(apiKey); }

function isFlexible(first: number | null, version: number): boolean { return first !== null && version >= first; }

export function requestHeaderVersion(apiKey: number, version: number): number {
  if (apiKey === CONTROLLED_SHUTDOWN && version === 0) return 0;
  const spec = SPEC_BY_KEY.get(apiKey);
  if (spec === undefined || version < spec.minVersion || version > spec.maxVersion) return 1;
  return isFlexible(spec.firstFlexibleVersion, version) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, version: number): number {
  if (apiKey === API_VERSIONS) return 0;
  const spec = SPEC_BY_KEY.get(apiKey);
  return spec !== undefined && isFlexible(spec.firstFlexibleResponseVersion, version) ? 1 : 0;
}

function lookup(table: ReadonlyMap<number, MessageCodec>, apiKey: number, version: number): MessageCodec {
  const spec = SPEC_BY_KEY.get(apiKey);
  const codec = table.get(apiKey);
  if (spec === undefined || codec === undefined) throw new ProtocolError('UNSUPPORTED_API', `unknown api key ${apiKey}`);
  if (!Number.isInteger(version) || version < spec.minVersion || version > spec.maxVersion) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${spec.name} v${version} outside ${spec.minVersion}-${spec.maxVersion}`);
  }
  return codec;
}

/** Runs a decode; anything but a ProtocolError (should not happen) becomes MALFORMED with cause. */
function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw malformed(`${what}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

export function decodeRequestHeader(frame: Buffer): { header: RequestHeader; bodyOffset: number } {
  return guarded('request header', () => {
    if (frame.length < 4) throw malformed(`request frame of ${frame.length} bytes has no api key/version`);
    const hv = requestHeaderVersion(frame.readInt16BE(0), frame.readInt16BE(2));
    const r = new Reader(frame);
    const header = readRequestHeader(r, hv);
    return { header, bodyOffset: r.pos };
  });
}

export function decodeRequestBody(apiKey: number, version: number, frame: Buffer, offset: number): unknown {
  const codec = lookup(REQUEST_CODECS, apiKey, version);
  return guarded('request body', () => codec.read(new Reader(frame, offset), version));
}

function withSizePrefix(w: Writer): Buffer {
  const out = w.finish();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

function writeResponse(apiKey: number, version: number, correlationId: number, body: object): Writer {
  const codec = lookup(RESPONSE_CODECS, apiKey, version);
  const w = new Writer(1024);
  w.int32(0); // size, patched below
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, version) >= 1) w.emptyTags();
  codec.write(w, version, body);
  return w;
}

export function encodeResponseFrame(apiKey: number, version: number, correlationId: number, body: object): Buffer {
  return withSizePrefix(writeResponse(apiKey, version, correlationId, body));
}

/** Same bytes as encodeResponseFrame, as chunks: record sets (>= 64 KiB) are not copied at all. */
export function encodeResponseChunks(apiKey: number, version: number, correlationId: number, body: object): Uint8Array[] {
  const w = writeResponse(apiKey, version, correlationId, body);
  const size = w.length - 4;
  const chunks = w.finishChunks();
  const first = chunks[0]!;
  // The size prefix lives in the first 4 bytes of the first chunk (the writer's own buffer).
  new DataView(first.buffer, first.byteOffset, first.byteLength).setInt32(0, size);
  return chunks;
}

export function encodeRequestFrame(header: RequestHeader, body: object): Buffer {
  const codec = lookup(REQUEST_CODECS, header.requestApiKey, header.requestApiVersion);
  const w = new Writer(1024);
  w.int32(0);
  writeRequestHeader(w, requestHeaderVersion(header.requestApiKey, header.requestApiVersion), header);
  codec.write(w, header.requestApiVersion, body);
  return withSizePrefix(w);
}

/** frame = bytes after the 4-byte size prefix (as a socket reader hands them over). */
export function decodeResponseFrame(apiKey: number, version: number, frame: Buffer): { correlationId: number; body: unknown } {
  const codec = lookup(RESPONSE_CODECS, apiKey, version);
  return guarded('response', () => {
    const r = new Reader(frame);
    const correlationId = r.int32();
    if (responseHeaderVersion(apiKey, version) >= 1) r.skipTags();
    return { correlationId, body: codec.read(r, version) };
  });
}
