// Fetched record set -> kafkajs-shaped messages, pure. Keys and values are Buffer views of the
// Fetch response (or of the decompressed batch): no copy. Offsets and timestamps are decimal
// strings as kafkajs gives them, because the kit's batch loop reads them so. Decompressors are
// passed in (src/codecs.ts has one per Kafka codec): this file imports no codec.
import { CONTROL_FLAG, Compression, ProtocolError, decodeRecordBatch, forEachBatch, verifyBatchCrc } from '@warmcast/kafka-protocol';
import type { DecodedRecord, Decompressors } from '@warmcast/kafka-protocol';

export interface LeanMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly headers: Record<string, Buffer | undefined>;
}

/**
 * A fetched record batch that cannot be turned into messages: a codec id with no decompressor
 * (5-7 are not Kafka codecs), a stream its codec rejects, a CRC mismatch (when checked),
 * records that do not parse, a pre-0.11 message set. Offsets are the batch's own
 * (baseOffset .. baseOffset + lastOffsetDelta): the consumer steps past all of them at once.
 */
export interface UndecodableBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** The whole batch as fetched (header included): a view of the Fetch response. */
  readonly bytes: Buffer;
  /** Names the codec and the cause, e.g. "lz4 batch (codec 3) failed to decompress: ...". */
  readonly reason: string;
}

export interface DecodedRecordSet {
  /** Messages of the batches before the first undecodable one (all batches when there is none). */
  readonly messages: LeanMessage[];
  /** Offset after the last complete batch looked at (the undecodable one included). */
  readonly nextOffset: bigint | undefined;
  /** The first batch that could not be decoded; batches after it are left for the next fetch. */
  readonly undecodable: UndecodableBatch | undefined;
}

export interface DecodeOptions {
  /** By codec id; an id without an entry makes its batches undecodable. */
  readonly decompressors: Decompressors;
  /** Verify each batch's CRC-32C before decoding it (Java's check.crcs). */
  readonly checkCrcs?: boolean;
}

export const CODEC_NAMES: Readonly<Record<number, string>> = { [Compression.none]: 'uncompressed', [Compression.gzip]: 'gzip', [Compression.snappy]: 'snappy', [Compression.lz4]: 'lz4', [Compression.zstd]: 'zstd' };
const codecName = (codec: number): string => CODEC_NAMES[codec] ?? `unknown codec ${codec}`;
const NO_HEADERS: Record<string, Buffer | undefined> = Object.freeze({}) as Record<string, Buffer | undefined>;

/** Why `batch` cannot be decoded before decompressing it, or undefined if it may be. */
function precheck(batch: Buffer, magic: number, codec: number, o: DecodeOptions): string | undefined {
  if (magic !== 2) return `record batch magic ${magic} (a pre-0.11 message set); this client reads magic 2 only`;
  if (codec !== Compression.none && o.decompressors[codec] === undefined) {
    return CODEC_NAMES[codec] === undefined ? `record batch attributes name ${codecName(codec)}; Kafka codecs are 0-4` : `no decompressor for ${codecName(codec)} (codec ${codec})`;
  }
  if (o.checkCrcs === true && !verifyBatchCrc(batch)) return `${codecName(codec)} batch: CRC-32C mismatch (stored ${batch.readUInt32BE(17).toString(16)})`;
  return undefined;
}

/** The batch's records, or why they cannot be had (the codec named). */
function decode(batch: Buffer, codec: number, decompressors: Decompressors): DecodedRecord[] | string {
  try {
    return decodeRecordBatch(batch, decompressors).records;
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    // decodeRecordBatch wraps a decompressor's failure as MALFORMED "codec N failed".
    if (err.message.startsWith('codec ')) return `${codecName(codec)} batch (codec ${codec}) failed to decompress${cause}`;
    return `${codecName(codec)} batch: ${err.message}${cause}`;
  }
}

/**
 * Messages at offsets >= fromOffset (a fetch may return a batch that starts before the fetch
 * offset), skipping control batches (transaction markers). A trailing partial batch (cut at the
 * partition byte limit) is left for the next fetch. Returns the messages and the offset after the
 * last complete batch (to advance past batches that held only control records).
 * A batch that cannot be decoded ends the walk: it is returned as `undecodable`, after the
 * messages before it, and nothing after it is looked at.
 * Throws ProtocolError MALFORMED only when the set itself cannot be walked (a batchLength < 49).
 */
export function decodeRecordSet(records: Buffer, fromOffset: bigint, o: DecodeOptions): DecodedRecordSet {
  const messages: LeanMessage[] = [];
  let nextOffset: bigint | undefined;
  let undecodable: UndecodableBatch | undefined;
  let followed = false;
  forEachBatch(records, (batch) => {
    const baseOffset = batch.readBigInt64BE(0);
    if (undecodable !== undefined) {
      // A bad batch's own lastOffsetDelta may be garbage too: never step over the batch after it.
      if (!followed && baseOffset > undecodable.baseOffset && baseOffset <= undecodable.lastOffset) {
        undecodable = { ...undecodable, lastOffset: baseOffset - 1n };
        nextOffset = baseOffset;
      }
      followed = true;
      return;
    }
    const magic = batch.readInt8(16);
    const attributes = batch.readInt16BE(21);
    const codec = attributes & 0x07;
    // Magic 0/1 sets have no lastOffsetDelta: their entry's offset is its last one.
    const lastOffset = magic === 2 ? baseOffset + BigInt(Math.max(0, batch.readInt32BE(23))) : baseOffset;
    nextOffset = lastOffset + 1n;
    if (lastOffset < fromOffset) return;
    const reason = precheck(batch, magic, codec, o);
    if (reason === undefined && (attributes & CONTROL_FLAG) !== 0) return;
    const decoded = reason ?? decode(batch, codec, o.decompressors);
    if (typeof decoded === 'string') {
      undecodable = { baseOffset, lastOffset, bytes: batch, reason: decoded };
      return;
    }
    for (const r of decoded) {
      if (r.offset < fromOffset) continue;
      let headers = NO_HEADERS;
      if (r.headers.length > 0) {
        headers = {};
        for (const h of r.headers) headers[h.key] = h.value ?? undefined;
      }
      messages.push({ offset: r.offset.toString(), key: r.key, value: r.value, timestamp: r.timestamp.toString(), headers });
    }
  });
  return { messages, nextOffset, undecodable };
}
