/**
 * @warmcast/kafka-protocol: pure Kafka wire codec, generated from Kafka 3.8.0's JSON message
 * definitions (spec/*.json -> src/generated/ by scripts/generate.ts) plus a hand-written runtime.
 *
 * Naming rules of the generated code:
 * - A message's interface is its JSON `name` (ProduceRequest, FetchResponse, RequestHeader).
 * - Every nested struct is `<MessageName><StructTypeName>`, always prefixed, whether defined
 *   inline or in commonStructs: ProduceRequest.TopicData ([]TopicProduceData) ->
 *   ProduceRequestTopicProduceData; FetchResponse's tagged CurrentLeader -> FetchResponseLeaderIdAndEpoch.
 * - Field names: JSON `name` with the first letter lower-cased (TopicName -> topicName).
 * - One interface covers all versions; a field absent from a version decodes as its default
 *   and is skipped on encode.
 * - Types: int8/16/32, uint16, float64 -> number; int64 -> bigint; bool -> boolean;
 *   string -> string; bytes -> Buffer; uuid -> Buffer (16 bytes, all-zero default);
 *   records -> Buffer | null (a subarray view of the frame, never copied on decode);
 *   arrays -> T[]; `| null` where the JSON has nullableVersions.
 * - Defaults as Kafka's generator: 0 / JSON default, false, "" (null if default "null"), [], null records.
 * - Per message: default<Name>(), read<Name>(reader, version), write<Name>(writer, version, partial);
 *   per API: decode<Api>Request(version, frame, offset), encode<Api>Response(version, corrId, body),
 *   decode<Api>Response(version, frame).
 * - Encoders take DeepPartial objects: any missing member at any depth uses its default. A null in a
 *   version where the field is not nullable is written as the empty value (lenient on encode);
 *   decode is strict (throws ProtocolError MALFORMED).
 */
import {
  decodeRequestHeader as decodeHeader, decodeRequestBody, encodeResponseFrame, encodeRequestFrame, decodeResponseFrame,
  encodeResponseChunks as encodeChunks,
} from './framing.ts';
import type { RequestHeader as GeneratedRequestHeader } from './generated/request-header.ts';

export { ProtocolError } from './protocol-error.ts';
export type { ProtocolErrorCode } from './protocol-error.ts';
export { Reader } from './reader.ts';
export { Writer } from './writer.ts';
export { crc32c } from './crc32c.ts';
export type { DeepPartial } from './deep-partial.ts';
export { ErrorCode, pickErrorCodes } from './error-code.ts';
export type { ErrorCodeName } from './error-code.ts';
export { API_SPECS, ApiKey, REQUEST_CODECS, RESPONSE_CODECS } from './generated/api-table.ts';
export type { ApiSpec, MessageCodec } from './generated/api-table.ts';
export { requestHeaderVersion, responseHeaderVersion, apiSpec } from './framing.ts';
export * from './generated/wrappers.ts';
export * from './generated/messages.ts';
export * from './consumer-protocol.ts';

/** The header fields every request has (header v0 has no clientId: decoded as ""). */
export type RequestHeader = GeneratedRequestHeader;

/** frame = bytes after the 4-byte size prefix. Header version follows Kafka's rule
 *  (flexible request -> header v2 with trailing tag buffer, else v1; ControlledShutdown v0 -> v0).
 *  For an unknown api key or unsupported version, decode as header v1 (so the server can still
 *  answer with the correlation id). Throws ProtocolError on malformed input. */
export function decodeRequestHeader(frame: Buffer): { header: RequestHeader; bodyOffset: number } {
  return decodeHeader(frame);
}

/** Decodes a request body for (apiKey, version) starting at offset. Throws ProtocolError only. */
export function decodeRequest(apiKey: number, version: number, frame: Buffer, offset: number): unknown {
  return decodeRequestBody(apiKey, version, frame, offset);
}

/** Whole response frame including the 4-byte size prefix and the response header
 *  (v0, or v1 for flexible versions; ApiVersions ALWAYS header v0). Missing members take defaults. */
export function encodeResponse(apiKey: number, version: number, correlationId: number, body: object): Buffer {
  return encodeResponseFrame(apiKey, version, correlationId, body);
}

/** Same bytes as encodeResponse, split into chunks for socket writev: large record sets (>= 64 KiB)
 *  are referenced, never copied (1 MB Fetch response: no 1 MB allocation). */
export function encodeResponseChunks(apiKey: number, version: number, correlationId: number, body: object): Uint8Array[] {
  return encodeChunks(apiKey, version, correlationId, body);
}

/** Whole request frame including the size prefix (client side: tests, golden captures, fuzzing). */
export function encodeRequest(header: RequestHeader, body: object): Buffer {
  return encodeRequestFrame(header, body);
}

/** frame = response bytes AFTER the 4-byte size prefix (use `encodeResponse(...).subarray(4)`). */
export function decodeResponse(apiKey: number, version: number, frame: Buffer): { correlationId: number; body: unknown } {
  return decodeResponseFrame(apiKey, version, frame);
}

export {
  BATCH_HEADER_SIZE, BATCH_LENGTH_PREFIX, Compression, TIMESTAMP_TYPE_LOG_APPEND, TRANSACTIONAL_FLAG, CONTROL_FLAG,
  readBatchHeader, batchSize, forEachBatch, splitBatches, verifyBatchCrc, setBaseOffset, setPartitionLeaderEpoch,
  encodeRecordBatch, decodeRecordBatch,
} from './record-batch.ts';
export type { RecordBatchHeader, BatchWalk, RecordHeader, RecordInput, EncodeBatchOptions, DecodedRecord, Decompressors } from './record-batch.ts';
export { gzip, gunzip, defaultDecompressors } from './gzip.ts';
