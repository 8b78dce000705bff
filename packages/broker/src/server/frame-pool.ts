/**
 * Reusable memory for large request frames (Produce). A 900 KB Produce arrives in ~14 socket
 * chunks and is joined into one buffer; a fresh buffer per request is ~150 MB of new
 * ArrayBuffer memory per 200k ingest events, and V8 counts that memory towards its next major
 * GC. The connection gives a Produce frame back once the request is answered: by then every
 * append has been written (PartitionLog.append resolves after write(2)) and nothing holds a view.
 * Other APIs keep views of their frame (JoinGroup metadata lives in the group), so their frames
 * are never given back and simply stay with the garbage collector.
 */

/** Frames below this are joined into plain buffers (small requests, not worth pooling). */
const MIN_POOLED = 64 * 1024;
/** Frames above this are not pooled (a rare 100 MiB frame must not stay resident). */
const MAX_POOLED = 8 * 1024 * 1024;

export class FramePool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers handed out by take() and not yet given back: only those may come back. */
  private readonly issued = new WeakSet<ArrayBuffer>();

  /** `maxFree`: buffers kept for reuse (each up to 8 MiB; 1 MiB for a 900 KB Produce). */
  constructor(private readonly maxFree = 4) {}

  /** n bytes, not zeroed: reused memory when a free buffer is big enough. */
  take(n: number): Buffer {
    if (n < MIN_POOLED || n > MAX_POOLED) return Buffer.allocUnsafe(n);
    for (let i = this.free.length - 1; i >= 0; i--) {
      const ab = this.free[i]!;
      if (ab.byteLength < n) continue;
      this.free.splice(i, 1);
      this.issued.add(ab);
      return Buffer.from(ab, 0, n);
    }
    let size = MIN_POOLED;
    while (size < n) size *= 2;
    const ab = new ArrayBuffer(size);
    this.issued.add(ab);
    return Buffer.from(ab, 0, n);
  }

  /**
   * Gives back the memory under `view` if take() issued it (anything else is ignored).
   * pre: nothing reads or writes `view`, or any other view of that memory, from now on.
   */
  release(view: Uint8Array): void {
    const ab = view.buffer;
    if (!(ab instanceof ArrayBuffer) || !this.issued.has(ab)) return;
    this.issued.delete(ab);
    if (this.free.length < this.maxFree) this.free.push(ab);
  }

  /** Free buffers held (for tests). */
  get freeCount(): number {
    return this.free.length;
  }
}
