/** Byte blobs at least this big (records) are referenced, not copied, until finish(). */
const LARGE = 64 * 1024;

/**
 * Growable output buffer for Kafka primitives. Small fields go into one Buffer, doubled when
 * full; no per-field allocation. Large blobs (>= 64 KiB, i.e. record sets) are kept by
 * reference and copied exactly once by finish() into an exactly-sized output: a Fetch response
 * with 1 MB of records costs one 1 MB allocation + one memcpy, not log2 growth copies.
 * pre: a blob passed to raw()/bytes writers is not mutated before finish().
 */
export class Writer {
  buf: Buffer;
  /** Write position inside `buf`. */
  pos = 0;
  private segStart = 0;
  private flushed = 0;
  private chunks: Uint8Array[] | null = null;

  constructor(initialSize = 256) { this.buf = Buffer.allocUnsafe(initialSize); }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.segStart;
    let size = Math.max(this.buf.length * 2, 64);
    while (size < used + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.segStart, this.pos);
    if (this.chunks === null) {
      this.buf = next;
      this.pos = used;
      return;
    }
    // Earlier segments still reference the old buffer (kept alive by `chunks`).
    this.buf = next;
    this.pos = used;
    this.segStart = 0;
  }

  int8(v: number): void { this.ensure(1); this.pos = this.buf.writeInt8(v, this.pos); }
  int16(v: number): void { this.ensure(2); this.pos = this.buf.writeInt16BE(v, this.pos); }
  uint16(v: number): void { this.ensure(2); this.pos = this.buf.writeUInt16BE(v, this.pos); }
  int32(v: number): void { this.ensure(4); this.pos = this.buf.writeInt32BE(v, this.pos); }
  uint32(v: number): void { this.ensure(4); this.pos = this.buf.writeUInt32BE(v >>> 0, this.pos); }
  int64(v: bigint): void { this.ensure(8); this.pos = this.buf.writeBigInt64BE(v, this.pos); }
  float64(v: number): void { this.ensure(8); this.pos = this.buf.writeDoubleBE(v, this.pos); }
  bool(v: boolean): void { this.ensure(1); this.buf[this.pos++] = v ? 1 : 0; }
  uuid(v: Uint8Array): void {
    this.ensure(16);
    if (v.length !== 16) throw new RangeError(`uuid must be 16 bytes, got ${v.length}`);
    this.buf.set(v, this.pos);
    this.pos += 16;
  }
  raw(v: Uint8Array): void {
    if (v.length >= LARGE) {
      const chunks = this.chunks ?? (this.chunks = []);
      chunks.push(this.buf.subarray(this.segStart, this.pos), v);
      this.flushed += this.pos - this.segStart + v.length;
      this.segStart = this.pos;
      return;
    }
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Forget everything written (keeps the buffer for reuse). */
  reset(): void { this.pos = 0; this.segStart = 0; this.flushed = 0; this.chunks = null; }

  /** Bytes written so far. */
  get length(): number { return this.flushed + this.pos - this.segStart; }

  uvarint(v: number): void {
    this.ensure(5);
    let u = v >>> 0;
    while (u > 0x7f) { this.buf[this.pos++] = (u & 0x7f) | 0x80; u >>>= 7; }
    this.buf[this.pos++] = u;
  }
  varint(v: number): void { this.uvarint((v << 1) ^ (v >> 31)); }
  varlong(v: bigint): void {
    this.ensure(10);
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (u > 0x7fn) { this.buf[this.pos++] = Number(u & 0x7fn) | 0x80; u >>= 7n; }
    this.buf[this.pos++] = Number(u);
  }

  private utf8(s: string, lengthPrefix: (n: number) => void): void {
    const n = Buffer.byteLength(s, 'utf8');
    lengthPrefix(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }
  nullableString(v: string | null): void {
    if (v === null) { this.int16(-1); return; }
    this.utf8(v, (n) => this.int16(n));
  }
  compactNullableString(v: string | null): void {
    if (v === null) { this.uvarint(0); return; }
    this.utf8(v, (n) => this.uvarint(n + 1));
  }
  nullableBytes(v: Uint8Array | null): void {
    if (v === null) { this.int32(-1); return; }
    this.int32(v.length);
    this.raw(v);
  }
  compactNullableBytes(v: Uint8Array | null): void {
    if (v === null) { this.uvarint(0); return; }
    this.uvarint(v.length + 1);
    this.raw(v);
  }
  arrayLength(n: number): void { this.int32(n); }
  compactArrayLength(n: number): void { this.uvarint(n + 1); }
  /** Empty tag buffer. */
  emptyTags(): void { this.uvarint(0); }

  /** The written bytes as a list for socket.writev / cork+write: no copy of large blobs at all. */
  finishChunks(): Uint8Array[] {
    if (this.chunks === null) return [this.buf.subarray(0, this.pos)];
    const tail = this.buf.subarray(this.segStart, this.pos);
    return tail.length > 0 ? [...this.chunks, tail] : [...this.chunks];
  }

  /** The written bytes. Without large blobs: a view of this writer's buffer; with them: one new exact-size Buffer. */
  finish(): Buffer {
    if (this.chunks === null) return this.buf.subarray(0, this.pos);
    const out = Buffer.allocUnsafeSlow(this.length);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    out.set(this.buf.subarray(this.segStart, this.pos), at);
    return out;
  }
}
