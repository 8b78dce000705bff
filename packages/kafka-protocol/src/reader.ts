import { malformed } from './protocol-error.ts';

/**
 * Cursor over a Buffer for Kafka primitives. Every read checks bounds and throws
 * ProtocolError('MALFORMED'), never RangeError. Bytes/records come back as subarray views
 * (no copy): a 1 MB records field costs one bounds check, not a memcpy.
 * Length/count guards: a count may not exceed the bytes left (each element takes >= 1 byte),
 * so a corrupt count of 2^31 fails before anything is allocated.
 */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) throw malformed(`reader window ${offset}..${end} outside buffer of ${buf.length}`);
    this.buf = buf;
    this.pos = offset;
    this.end = end;
  }

  get remaining(): number { return this.end - this.pos; }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) throw malformed(`need ${n} bytes at ${p}, only ${this.end - p} left`);
    this.pos = p + n;
    return p;
  }

  int8(): number { return this.buf.readInt8(this.need(1)); }
  int16(): number { return this.buf.readInt16BE(this.need(2)); }
  uint16(): number { return this.buf.readUInt16BE(this.need(2)); }
  int32(): number { return this.buf.readInt32BE(this.need(4)); }
  uint32(): number { return this.buf.readUInt32BE(this.need(4)); }
  int64(): bigint { return this.buf.readBigInt64BE(this.need(8)); }
  float64(): number { return this.buf.readDoubleBE(this.need(8)); }
  bool(): boolean { return this.buf[this.need(1)] !== 0; }
  /** 16 bytes, copied (a uuid must not pin the whole request frame). */
  uuid(): Buffer { const p = this.need(16); return Buffer.from(this.buf.subarray(p, p + 16)); }
  raw(n: number): Buffer { const p = this.need(n); return this.buf.subarray(p, p + n); }

  /** Plain LEB128, at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
    }
    throw malformed('varint longer than 5 bytes');
  }
  /** Zigzag LEB128 int32 (record fields). */
  varint(): number { const u = this.uvarint(); return (u >>> 1) ^ -(u & 1); }
  /** Zigzag LEB128 int64, at most 10 bytes. */
  varlong(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw malformed('truncated varlong');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, (result >> 1n) ^ -(result & 1n));
    }
    throw malformed('varlong longer than 10 bytes');
  }

  private utf8(n: number): string { const p = this.need(n); return this.buf.toString('utf8', p, p + n); }

  /** int16 length; -1 = null. */
  nullableString(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    if (n < 0) throw malformed(`string length ${n}`);
    return this.utf8(n);
  }
  string(): string { const s = this.nullableString(); if (s === null) throw malformed('null in non-nullable string'); return s; }
  /** uvarint length+1; 0 = null. */
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }
  compactString(): string { const s = this.compactNullableString(); if (s === null) throw malformed('null in non-nullable compact string'); return s; }

  /** int32 length; -1 = null. View, not a copy. */
  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0) throw malformed(`bytes length ${n}`);
    return this.raw(n);
  }
  bytes(): Buffer { const b = this.nullableBytes(); if (b === null) throw malformed('null in non-nullable bytes'); return b; }
  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.raw(n - 1);
  }
  compactBytes(): Buffer { const b = this.compactNullableBytes(); if (b === null) throw malformed('null in non-nullable compact bytes'); return b; }

  /** int32 count, -1 = null (returned as -1). Guarded against counts larger than the bytes left. */
  arrayLength(): number {
    const n = this.int32();
    if (n === -1) return -1;
    if (n < 0 || n > this.end - this.pos) throw malformed(`array count ${n} with ${this.end - this.pos} bytes left`);
    return n;
  }
  /** uvarint count+1, 0 = null (returned as -1). */
  compactArrayLength(): number {
    const n = this.uvarint() - 1;
    if (n > this.end - this.pos) throw malformed(`array count ${n} with ${this.end - this.pos} bytes left`);
    return n;
  }

  /** Skips a whole tag buffer (used where no tagged field is known). */
  skipTags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}
