// The decompressors, table by table: streams from other implementations (the zstd and lz4 CLIs,
// xerial's framing built by hand as snappy-java writes it), and corrupt streams that must throw.
import { describe, expect, it } from 'vitest';
import { Compression } from '@warmcast/kafka-protocol';
import { compressFrameSync } from 'lz4-napi';
import snappyjs from 'snappyjs';
import { MAX_DECOMPRESSED_BYTES, allDecompressors, unlz4, unsnappy, unzstd } from '../src/index.ts';
import { xxh32 } from '../src/lz4-frame.ts';

const TEXT = 'warmcast golden: the same line, the same line, the same line, the same line, the same line.';
// `printf '%s' "$TEXT" | zstd -19 -c | xxd -p` (zstd 1.5.4; the frame carries a content checksum).
const ZSTD_CLI = Buffer.from('28b52ffd046845010004027761726d6361737420676f6c64656e3a207468652073616d65206c696e652c2e010043a4e9048b2c70cb', 'hex');
// `printf '%s' "$TEXT" | lz4 -c` and `lz4 -c --content-size -BX` (lz4 1.9.4: content checksum;
// the second also has block checksums and the content size in its header).
const LZ4_CLI = Buffer.from('04224d186440a72a000000ff107761726d6361737420676f6c64656e3a207468652073616d65206c696e652c0f0024506c696e652e00000000958e27c1', 'hex');
// `head -c 70000 /dev/zero | tr '\0' a | lz4 -c -BD -B4`: linked blocks (FLG 0x44), two 64 KiB blocks.
const LZ4_CLI_LINKED = Buffer.from(`04224d1844405e0b0100001f610100${'ff'.repeat(256)}e75061616161611c0000001f610100${'ff'.repeat(17)}68506161616161000000003d658117`, 'hex');
const LZ4_CLI_CHECKSUMS = Buffer.from('04224d187440bd2a000000ff107761726d6361737420676f6c64656e3a207468652073616d65206c696e652c0f0024506c696e652eb6be5dcc00000000958e27c1', 'hex');

/** xerial snappy-java's stream: 0x82 SNAPPY 0x00, version 1, compatible 1, then int32-length-prefixed raw snappy blocks. */
function xerial(blocks: Buffer[]): Buffer {
  const parts = [Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])];
  for (const b of blocks) {
    const c = Buffer.from(snappyjs.compress(b));
    const len = Buffer.alloc(4);
    len.writeInt32BE(c.length);
    parts.push(len, c);
  }
  return Buffer.concat(parts);
}

const flip = (b: Buffer, at: number): Buffer => { const c = Buffer.from(b); c[at] = c[at]! ^ 0xff; return c; };

describe('codecs', () => {
  it('registers a decompressor for every Kafka codec id (1-4), none for 0 or 5-7', () => {
    expect(Object.keys(allDecompressors).map(Number).sort()).toEqual([Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd]);
  });

  it('zstd: reads a frame the zstd CLI wrote', () => {
    expect(unzstd(ZSTD_CLI).toString()).toBe(TEXT);
    expect(Buffer.isBuffer(unzstd(ZSTD_CLI))).toBe(true);
  });

  it('xxh32 (the LZ4 frame checksum) matches the reference vectors', () => {
    expect([xxh32(Buffer.alloc(0)), xxh32(Buffer.from('a')), xxh32(Buffer.from('abc')), xxh32(Buffer.from('Nobody inspects the spammish repetition'))])
      .toEqual([0x02cc5d05, 0x550d7456, 0x32d153ff, 0xe2293b2f]);
  });

  it('lz4: reads frames the lz4 CLI wrote (content checksum; block checksums and content size; linked blocks) and lz4_flex wrote', () => {
    expect(unlz4(LZ4_CLI).toString()).toBe(TEXT);
    expect(unlz4(LZ4_CLI_CHECKSUMS).toString()).toBe(TEXT);
    expect(unlz4(LZ4_CLI_LINKED).equals(Buffer.alloc(70_000, 'a'))).toBe(true);
    const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => `record ${i % 97};`).join(''));
    expect(unlz4(compressFrameSync(big)).equals(big)).toBe(true);
  });

  it('snappy: reads raw snappy (librdkafka) and xerial-framed snappy (the Java client), one or many blocks', () => {
    const raw = Buffer.from(snappyjs.compress(Buffer.from(TEXT)));
    expect(unsnappy(raw).toString()).toBe(TEXT);
    expect(unsnappy(xerial([Buffer.from(TEXT)])).toString()).toBe(TEXT);
    const a = Buffer.alloc(32 * 1024, 'a');
    const b = Buffer.from('tail of the stream');
    expect(unsnappy(xerial([a, b])).equals(Buffer.concat([a, b]))).toBe(true);
    expect(unsnappy(xerial([])).length).toBe(0);
  });

  it.each([
    // Not a flipped literal: fzstd skips the frame's content checksum (see src/codecs.ts).
    ['zstd, truncated', () => unzstd(ZSTD_CLI.subarray(0, 30))],
    ['zstd, a flipped block header byte', () => unzstd(flip(ZSTD_CLI, 8))],
    ['zstd, not a zstd frame', () => unzstd(Buffer.from('plain text, no magic'))],
    ['lz4, a flipped literal (content checksum)', () => unlz4(flip(LZ4_CLI, 20))],
    ['lz4, a flipped header byte (header checksum)', () => unlz4(flip(LZ4_CLI, 5))],
    ['lz4, a flipped block checksum', () => unlz4(flip(LZ4_CLI_CHECKSUMS, LZ4_CLI_CHECKSUMS.length - 12))],
    ['lz4, bytes after the frame', () => unlz4(Buffer.concat([LZ4_CLI, Buffer.from([0])]))],
    ['lz4, a block bigger than the frame says blocks are', () => unlz4(Buffer.from('04224d186040820000020000', 'hex'))],
    ['lz4, truncated', () => unlz4(LZ4_CLI.subarray(0, 30))],
    ['lz4, not an lz4 frame', () => unlz4(Buffer.from('plain text, no magic'))],
    ['snappy, garbage', () => unsnappy(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))],
    ['xerial, a block length past the end', () => unsnappy(Buffer.concat([xerial([Buffer.from(TEXT)]).subarray(0, 16), Buffer.from([0, 0, 1, 0, 1, 2])]))],
    ['xerial, stray bytes after the last block', () => unsnappy(Buffer.concat([xerial([Buffer.from(TEXT)]), Buffer.from([0, 0])]))],
  ])('throws on a corrupt stream: %s', (_name, fn) => {
    expect(fn).toThrow();
  });

  it(`snappy: refuses a block that says it decompresses past ${MAX_DECOMPRESSED_BYTES} bytes without allocating it`, () => {
    // Snappy starts with the uncompressed length as a varint: 2^30 here, followed by nothing.
    expect(() => unsnappy(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04]))).toThrow(/too big/);
  });
});
