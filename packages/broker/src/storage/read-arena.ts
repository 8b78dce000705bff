/**
 * Reusable memory for Fetch reads. Without it every partition read allocated a fresh buffer of
 * up to partitionMaxBytes + 8 KiB (4 MiB for the ingest consumer), i.e. ~25 MB per 12-partition
 * Fetch; V8 runs a full mark-compact for about every 64 MB of new ArrayBuffer memory, and
 * fresh pages fault in the kernel on first write. Measured with bench/broker-cpu.bench.ts:
 * most of the broker's fetch CPU was that, not the bytes it sends.
 *
 * An arena is one buffer handed out front to back (bump allocation) for the reads of ONE
 * request; its owner (the connection) resets it only after the response built from those views
 * has been written to the socket. pre: nothing keeps a view past that point.
 */
export class ReadArena {
  private buf: Buffer;
  private used = 0;
  /** The most this round asked for; the next reset() grows the buffer to cover it. */
  private wanted = 0;

  /** Empty until a round has asked for memory: a connection that never fetches costs nothing. */
  constructor(initialBytes = 0) {
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Bytes currently reserved (the arena's whole buffer stays allocated). */
  get capacity(): number {
    return this.buf.length;
  }

  /**
   * n bytes, not zeroed. From the arena when they fit; otherwise the arena grows (to the next
   * power of two above the total asked for in this round, at most `maxBytes`) for the NEXT round,
   * and this call gets a plain allocation.
   */
  alloc(n: number): Buffer {
    if (this.used + n <= this.buf.length) {
      const out = this.buf.subarray(this.used, this.used + n);
      this.used += n;
      return out;
    }
    this.wanted = Math.max(this.wanted, this.used + n);
    return Buffer.allocUnsafe(n);
  }

  /** Gives back the tail of the most recent alloc() that the caller did not use. */
  trim(view: Buffer, keep: number): void {
    if (view.buffer !== this.buf.buffer) return;
    const end = view.byteOffset - this.buf.byteOffset + view.length;
    if (end === this.used) this.used -= view.length - Math.min(keep, view.length);
  }

  /** Starts a new round: every earlier view may be overwritten from now on. */
  reset(maxBytes = 64 * 1024 * 1024): void {
    this.used = 0;
    if (this.wanted > this.buf.length) {
      let size = Math.max(this.buf.length, 64 * 1024);
      while (size < this.wanted) size *= 2;
      this.buf = Buffer.allocUnsafeSlow(Math.min(size, Math.max(maxBytes, this.buf.length)));
    }
    this.wanted = 0;
  }
}
