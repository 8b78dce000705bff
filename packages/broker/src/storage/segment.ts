/**
 * One segment: `<20-digit baseOffset>.log` (batches back to back, verbatim) and `.index`
 * (sparse offset index, see offset-index.ts). The fd stays open for the segment's life:
 * positioned writes at `size` for the active segment, positioned reads for all.
 */
import { open, rm, writeFile, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_HEADER_BYTES, parseBatchHeader, type BatchHeader } from './batch-header.ts';
import { OffsetIndex } from './offset-index.ts';
import type { ReadArena } from './read-arena.ts';
import { scanSegment, type ScanResult } from './segment-scan.ts';

export function segmentName(baseOffset: bigint): string {
  return baseOffset.toString().padStart(20, '0');
}

export class Segment {
  readonly baseOffset: bigint;
  readonly logPath: string;
  readonly indexPath: string;
  /** Bytes of whole batches in the file; the next write goes here. */
  size = 0;
  /** Offset after the last batch (= baseOffset when empty). */
  nextOffset: bigint;
  /** Largest batch maxTimestamp, -1n when empty. */
  maxTimestamp = -1n;
  index = new OffsetIndex();
  private readonly fd: FileHandle;

  private constructor(dir: string, baseOffset: bigint, fd: FileHandle) {
    this.baseOffset = baseOffset;
    this.nextOffset = baseOffset;
    this.logPath = join(dir, `${segmentName(baseOffset)}.log`);
    this.indexPath = join(dir, `${segmentName(baseOffset)}.index`);
    this.fd = fd;
  }

  static async create(dir: string, baseOffset: bigint): Promise<Segment> {
    const fd = await open(join(dir, `${segmentName(baseOffset)}.log`), 'w+');
    return new Segment(dir, baseOffset, fd);
  }

  /**
   * Opens an existing segment and rebuilds its in-memory state from the batch headers
   * (CRC-checked too when `verifyCrc`). A bad tail is cut off the file; the result says why.
   * `onBatch` sees every good batch (the partition rebuilds producer state from it).
   */
  static async load(
    dir: string,
    baseOffset: bigint,
    verifyCrc: boolean,
    onBatch: (h: BatchHeader) => void,
  ): Promise<{ segment: Segment; scan: ScanResult; fileBytes: number; indexRebuilt: boolean }> {
    const fd = await open(join(dir, `${segmentName(baseOffset)}.log`), 'r+');
    const seg = new Segment(dir, baseOffset, fd);
    const fileBytes = (await fd.stat()).size;
    const scan = await scanSegment(fd, 0, fileBytes, baseOffset, verifyCrc, (h, position) => {
      seg.track(h, position);
      onBatch(h);
    });
    if (scan.validEnd < fileBytes) await fd.truncate(scan.validEnd);
    const indexRebuilt = !(await seg.indexFileIsCurrent());
    if (indexRebuilt) await seg.writeIndex();
    return { segment: seg, scan, fileBytes, indexRebuilt };
  }

  /** Updates size, offsets, timestamps and index for a batch written at `position`. */
  track(h: BatchHeader, position: number): void {
    this.index.maybeAdd(Number(h.baseOffset - this.baseOffset), position);
    this.size = position + h.totalBytes;
    this.nextOffset = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
    if (h.maxTimestamp > this.maxTimestamp) this.maxTimestamp = h.maxTimestamp;
  }

  /** write(2) of whole batches at the end; resolves once the kernel has the bytes. */
  async append(buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fd.write(buf, done, buf.length - done, this.size + done);
      done += bytesWritten;
    }
  }

  /**
   * Positioned read of up to `length` bytes at `position`, bounded by the segment size; into
   * `arena` memory when given (see read-arena.ts for who may hold the view how long).
   */
  async read(position: number, length: number, arena?: ReadArena): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - position));
    const buf = arena === undefined ? Buffer.allocUnsafe(len) : arena.alloc(len);
    let done = 0;
    while (done < len) {
      const { bytesRead } = await this.fd.read(buf, done, len - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  }

  /**
   * Finds the batch containing `offset` and returns whole batches from it, up to maxBytes
   * but at least that one batch (KIP-74). pre: baseOffset <= offset < nextOffset.
   * Usually one read: from the index entry, (maxBytes + 2 index intervals) bytes. With an
   * arena, the bytes past the returned batches go back to it.
   */
  async readFrom(offset: bigint, maxBytes: number, arena?: ReadArena): Promise<Buffer> {
    let pos = this.index.floorPosition(Number(offset - this.baseOffset));
    const want = Math.max(maxBytes, BATCH_HEADER_BYTES) + 8192;
    let buf = await this.read(pos, want, arena);
    let at = 0;
    // Skip batches that end before `offset`.
    for (;;) {
      if (buf.length - at < BATCH_HEADER_BYTES) {
        pos += at;
        buf = await this.read(pos, want, arena);
        at = 0;
        if (buf.length < BATCH_HEADER_BYTES) return Buffer.alloc(0);
      }
      const h = parseBatchHeader(buf, at);
      if (h.baseOffset + BigInt(h.lastOffsetDelta) >= offset) break;
      at += h.totalBytes;
    }
    // Take whole batches from `at` while they fit; always the first.
    let end = at;
    for (;;) {
      if (buf.length - end < BATCH_HEADER_BYTES) break;
      const total = buf.readInt32BE(end + 8) + 12;
      if (end > at && end + total - at > maxBytes) break;
      if (end + total > buf.length) {
        if (end === at) return this.read(pos + at, total, arena); // one batch bigger than the read window
        break;
      }
      end += total;
    }
    arena?.trim(buf, end);
    return buf.subarray(at, end);
  }

  /** Walks batch headers (for timestamp lookups). */
  async scanHeaders(onBatch: (h: BatchHeader) => boolean | void): Promise<void> {
    await scanSegment(this.fd, 0, this.size, this.baseOffset, false, (h) => onBatch(h));
  }

  async writeIndex(): Promise<void> {
    await writeFile(this.indexPath, this.index.encode());
  }

  private async indexFileIsCurrent(): Promise<boolean> {
    try {
      return this.index.matches(await readFile(this.indexPath));
    } catch {
      return false;
    }
  }

  async sync(): Promise<void> {
    await this.fd.sync();
  }

  async close(): Promise<void> {
    await this.fd.close();
  }

  async remove(): Promise<void> {
    await this.fd.close().catch(() => undefined);
    await rm(this.logPath, { force: true });
    await rm(this.indexPath, { force: true });
  }
}
