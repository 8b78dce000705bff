// Fetched record set -> kafkajs-shaped messages, pure. Keys and values are Buffer views of the
// Fetch response (or of the gunzipped batch): no copy. Offsets and timestamps are decimal strings
// as kafkajs gives them, because the kit's batch loop reads them so.
import { CONTROL_FLAG, Compression, ProtocolError, decodeRecordBatch, defaultDecompressors, forEachBatch } from '@warmcast/kafka-protocol';
import { LeanClientError } from '../errors.ts';

export interface LeanMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly headers: Record<string, Buffer | undefined>;
}

const CODEC_NAMES: Record<number, string> = { [Compression.snappy]: 'snappy', [Compression.lz4]: 'lz4', [Compression.zstd]: 'zstd' };
const NO_HEADERS: Record<string, Buffer | undefined> = Object.freeze({}) as Record<string, Buffer | undefined>;

/**
 * Messages at offsets >= fromOffset (a fetch may return a batch that starts before the fetch
 * offset), skipping control batches (transaction markers). A trailing partial batch (cut at the
 * partition byte limit) is left for the next fetch. Returns the messages and the offset after the
 * last complete batch (to advance past batches that held only control records).
 * Throws LeanClientError UNSUPPORTED_COMPRESSION (snappy, lz4, zstd) or PROTOCOL_ERROR.
 */
export function decodeRecordSet(records: Buffer, fromOffset: bigint, where: string): { messages: LeanMessage[]; nextOffset: bigint | undefined } {
  const messages: LeanMessage[] = [];
  let nextOffset: bigint | undefined;
  forEachBatch(records, (batch) => {
    const attributes = batch.readInt16BE(21);
    const codec = attributes & 0x07;
    if (codec !== Compression.none && codec !== Compression.gzip) {
      throw new LeanClientError('UNSUPPORTED_COMPRESSION', `${where}: record batch compressed with ${CODEC_NAMES[codec] ?? `codec ${codec}`}; this client decodes only uncompressed and gzip batches`);
    }
    const lastOffset = batch.readBigInt64BE(0) + BigInt(batch.readInt32BE(23));
    nextOffset = lastOffset + 1n;
    if (lastOffset < fromOffset || (attributes & CONTROL_FLAG) !== 0) return;
    let decoded;
    try {
      decoded = decodeRecordBatch(batch, defaultDecompressors);
    } catch (err) {
      if (err instanceof ProtocolError) throw new LeanClientError('PROTOCOL_ERROR', `${where}: ${err.message}`, { cause: err });
      throw err;
    }
    for (const r of decoded.records) {
      if (r.offset < fromOffset) continue;
      let headers = NO_HEADERS;
      if (r.headers.length > 0) {
        headers = {};
        for (const h of r.headers) headers[h.key] = h.value ?? undefined;
      }
      messages.push({ offset: r.offset.toString(), key: r.key, value: r.value, timestamp: r.timestamp.toString(), headers });
    }
  });
  return { messages, nextOffset };
}
