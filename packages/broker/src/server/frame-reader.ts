/**
 * Splits a TCP byte stream into Kafka request frames (int32 size, then that many bytes).
 * Chunks are kept as a list and joined once per frame, so a 1 MiB Produce arriving in 16 KiB
 * chunks costs one copy, and a chunk holding many small frames costs none (subarray views).
 * Joined frames of 64 KiB and more come from the connection's FramePool (frame-pool.ts).
 */
import { FramePool } from './frame-pool.ts';

export type FrameResult =
  | { readonly kind: 'frame'; readonly frame: Buffer }
  | { readonly kind: 'bad-size'; readonly size: number };

/** Smallest legal request: int16 key + int16 version + int32 correlation id + int16 client id length. */
export const MIN_FRAME_BYTES = 10;

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly maxFrameBytes: number;
  private readonly pool: FramePool;

  constructor(maxFrameBytes: number, pool: FramePool = new FramePool(0)) {
    this.maxFrameBytes = maxFrameBytes;
    this.pool = pool;
  }

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Next complete frame (without its size prefix), a size error, or undefined if more bytes are needed. */
  next(): FrameResult | undefined {
    if (this.buffered < 4) return undefined;
    const size = this.peekSize();
    if (size < MIN_FRAME_BYTES || size > this.maxFrameBytes) return { kind: 'bad-size', size };
    if (this.buffered < 4 + size) return undefined;
    return { kind: 'frame', frame: this.take(4 + size).subarray(4) };
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, Math.min(4, this.buffered));
    // Join the first chunks so the next peek is cheap.
    this.chunks = [Buffer.concat(this.chunks)];
    return head.readInt32BE(0);
  }

  /** Removes and returns exactly n bytes from the front (pre: n <= buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = this.pool.take(n);
    let copied = 0;
    while (copied < n) {
      const c = this.chunks[0]!;
      const want = n - copied;
      if (c.length <= want) {
        c.copy(out, copied);
        copied += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, copied, 0, want);
        this.chunks[0] = c.subarray(want);
        copied += want;
      }
    }
    return out;
  }
}
