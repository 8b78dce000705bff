// Decompressors for every codec a Kafka record batch may carry (attributes bits 0-2), kept out of
// core/ as kafka-protocol keeps gzip out of record-batch.ts: the record-set core gets them as a
// plain `Decompressors` map and imports no codec. Each is synchronous CPU work on one batch.
//
//   1 gzip    node:zlib (kafka-protocol's gunzip)
//   2 snappy  snappyjs (pure JS, MIT). Two framings reach a consumer: raw snappy (librdkafka, kcat)
//             and xerial's stream (the Java client's SnappyOutputStream), told apart by its
//             8-byte magic, see unsnappy below.
//   3 lz4     lz4-napi (lz4_flex through N-API, MIT; the binary ships in an npm package, nothing
//             is downloaded at install). Kafka uses the LZ4 *frame* format since magic 1 (KIP-57):
//             lz4-frame.ts parses and checks the frame (header checksum, block and content
//             checksums when present) and hands each block to lz4-napi's block decoder, ~3x
//             faster than its frame decoder (see there). lz4js (pure JS) was the other candidate:
//             unmaintained since 2017 and without bounds checks, so a corrupt stream decodes to
//             garbage instead of failing.
//   4 zstd    fzstd (pure JS, MIT, decompression only; Node 20's zlib has no zstd). It does not
//             verify a frame's optional content checksum (librdkafka and the Java client write
//             none by default): a flipped literal decodes to wrong bytes; the batch CRC
//             (LeanConsumer checkCrcs) is what catches that, as for every codec.
//
// A failing decompressor throws; decodeRecordBatch turns that into MALFORMED and the record-set
// core into an undecodable batch, so the cause names the codec.
import { Compression, gunzip } from '@warmcast/kafka-protocol';
import type { Decompressors } from '@warmcast/kafka-protocol';
import { decompress as unzstdFrames } from 'fzstd';
import snappyjs from 'snappyjs';
import { decompressLz4Frame } from './lz4-frame.ts';

/** A decompressed batch larger than this is refused (a corrupt or hostile length field would
 *  otherwise allocate it): 64 MiB is 64x Kafka's default 1 MB max.message.bytes. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** xerial snappy-java's stream header: 0x82 "SNAPPY" 0x00, int32 version, int32 min compatible version. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

const asBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

function unsnappyBlock(block: Buffer): Buffer {
  return asBuffer(snappyjs.uncompress(block, MAX_DECOMPRESSED_BYTES));
}

/**
 * Raw snappy, or xerial's framing: after the 16-byte header, blocks of int32 BE length + raw
 * snappy (the Java client writes 32 KiB blocks), e.g.
 *   82 53 4e 41 50 50 59 00 | 00 00 00 01 | 00 00 00 01 | 00 00 00 1c <28 bytes> | 00 00 00 09 <9 bytes>
 */
export function unsnappy(compressed: Buffer): Buffer {
  if (compressed.length < XERIAL_HEADER_SIZE || !compressed.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return unsnappyBlock(compressed);
  const blocks: Buffer[] = [];
  let total = 0;
  let at = XERIAL_HEADER_SIZE;
  while (at < compressed.length) {
    if (compressed.length - at < 4) throw new Error(`xerial snappy stream: ${compressed.length - at} stray bytes at ${at}`);
    const size = compressed.readInt32BE(at);
    at += 4;
    if (size < 0 || size > compressed.length - at) throw new Error(`xerial snappy stream: block of ${size} bytes at ${at - 4}, ${compressed.length - at} left`);
    const block = unsnappyBlock(compressed.subarray(at, at + size));
    at += size;
    total += block.length;
    if (total > MAX_DECOMPRESSED_BYTES) throw new Error(`xerial snappy stream decompresses past ${MAX_DECOMPRESSED_BYTES} bytes`);
    blocks.push(block);
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, total);
}

export function unlz4(compressed: Buffer): Buffer {
  return decompressLz4Frame(compressed, MAX_DECOMPRESSED_BYTES);
}

export function unzstd(compressed: Buffer): Buffer {
  return asBuffer(unzstdFrames(compressed));
}

/** Every Kafka codec, by its id in a batch's attributes. The consumer's default. */
export const allDecompressors: Decompressors = Object.freeze({
  [Compression.gzip]: gunzip,
  [Compression.snappy]: unsnappy,
  [Compression.lz4]: unlz4,
  [Compression.zstd]: unzstd,
});
