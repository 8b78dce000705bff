// Rows -> RowBinary bytes, compiled once per table from its column list (columns.ts). Why binary:
// the floor bench (README "The floor") put ~11-13 us of a raw_requests row's ~17-21 us CPU in the
// text path before storage (4-5 us JS encoding + chDB's JSON parse); RowBinary has no text to
// build or parse: fixed-width little-endian numbers and length-prefixed strings.
// Wire rules (ClickHouse RowBinary): String = LEB128 byte length + UTF-8; Nullable = 1 flag byte
// (1 = NULL, then nothing); LowCardinality(T) = T; Bool/UInt8 = 1 byte; DateTime64(3) = Int64 ms
// ticks; Map = LEB128 count + key/value pairs; Array = LEB128 count + elements.
// Values are written as the JSONCompactEachRow path stores them, so the stored rows are equal
// (test/integration/insert-path.test.ts): null/undefined in a non-Nullable column is the type's
// default (input_format_null_as_default), a non-finite float is NULL/0 (JSON.stringify writes
// null), -0 is 0. A value with no exact encoding (wrong type, fraction or out of range for an
// integer column) throws ROW_INVALID before anything is sent.
import { WarehouseError } from '../errors.ts';
import type { Column } from './columns.ts';

export interface BinaryRowEncoder {
  readonly format: 'RowBinary';
  readonly columns: readonly string[];
  /** `name Type, ...`: the file()/input structure naming the columns in order. */
  readonly structure: string;
  encode(rows: readonly object[]): Buffer;
}

const TWO32 = 4_294_967_296;

/** A growable output buffer; methods write little-endian at `pos`. */
export class BinaryOut {
  buf: Buffer;
  pos = 0;
  constructor(size = 4096) { this.buf = Buffer.allocUnsafe(size); }
  need(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void { this.need(1); this.buf[this.pos++] = v; }
  u16(v: number): void { this.need(2); this.buf.writeUInt16LE(v, this.pos); this.pos += 2; }
  u32(v: number): void { this.need(4); this.buf.writeUInt32LE(v, this.pos); this.pos += 4; }
  i32(v: number): void { this.need(4); this.buf.writeInt32LE(v, this.pos); this.pos += 4; }
  /** A safe integer as 64-bit two's complement: low word via ToUint32 (mod 2^32), high word floored. */
  i64(v: number): void {
    this.need(8);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.buf.writeInt32LE(Math.floor(v / TWO32), this.pos + 4);
    this.pos += 8;
  }
  f64(v: number): void { this.need(8); this.buf.writeDoubleLE(v, this.pos); this.pos += 8; }
  varuint(v: number): void {
    this.need(10);
    while (v >= 0x80) { this.buf[this.pos++] = (v & 0x7f) | 0x80; v = Math.floor(v / 128); }
    this.buf[this.pos++] = v;
  }
  str(s: string): void {
    // UTF-8 is at most 3 bytes per UTF-16 unit, so a string of <= 42 units fits a 1-byte length:
    // write it after a placeholder and patch the length in (no byteLength pass for short strings).
    if (s.length <= 42) {
      this.need(1 + s.length * 3);
      // ASCII (ids, keys, enum names) copied in JS: cheaper than a native utf8Write call per
      // short string (encode only, bench/encode.bench.ts before/after: raw_requests 3.2-3.3 -> 2.5-2.9
      // us/row, normalized_events 4.1-4.3 -> 2.9-3.8); anything else goes native.
      const buf = this.buf;
      const start = this.pos + 1;
      const len = s.length;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === len) { buf[this.pos] = len; this.pos = start + len; return; }
      const n = buf.write(s, start, 'utf8');
      this.buf[this.pos] = n;
      this.pos += 1 + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varuint(n);
    this.need(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  take(): Buffer { return this.buf.subarray(0, this.pos); }
}

type Writer = (o: BinaryOut, v: unknown) => void;

/** The declared type minus LowCardinality(...) and Nullable(...). */
export function baseType(chType: string): string {
  return chType.trim().replace(/^LowCardinality\((.*)\)$/, '$1').replace(/^Nullable\((.*)\)$/, '$1');
}

const INT_RANGE: Readonly<Record<string, readonly [number, number, (o: BinaryOut, v: number) => void]>> = {
  UInt8: [0, 255, (o, v) => o.u8(v)],
  UInt16: [0, 65_535, (o, v) => o.u16(v)],
  UInt32: [0, 4_294_967_295, (o, v) => o.u32(v)],
  UInt64: [0, Number.MAX_SAFE_INTEGER, (o, v) => o.i64(v)],
  Int8: [-128, 127, (o, v) => { o.need(1); o.buf.writeInt8(v, o.pos); o.pos += 1; }],
  Int16: [-32_768, 32_767, (o, v) => { o.need(2); o.buf.writeInt16LE(v, o.pos); o.pos += 2; }],
  Int32: [-2_147_483_648, 2_147_483_647, (o, v) => o.i32(v)],
  Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, (o, v) => o.i64(v)],
};

function columnWriter(table: string, c: Column): Writer {
  const bad = (v: unknown, why: string): never => {
    throw new WarehouseError('ROW_INVALID', `${table}.${c.name}=${String(v)}: ${why}`);
  };
  const base = baseType(c.chType);
  const str: Writer = (o, v) => (typeof v === 'string' ? o.str(v) : bad(v, 'not a string'));
  let write: Writer;
  let zero: Writer; // the type's default, for null/undefined in a non-Nullable column
  switch (c.kind.type) {
    case 'string': write = str; zero = (o) => o.u8(0); break;
    case 'bool':
      write = (o, v) => (v === true ? o.u8(1) : v === false ? o.u8(0) : bad(v, 'not a boolean'));
      zero = (o) => o.u8(0); break;
    case 'int': {
      const r = INT_RANGE[base];
      if (r === undefined) throw new Error(`rowbinary: no integer encoding for ${c.chType}`);
      const [lo, hi, put] = r;
      write = (o, v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? put(o, v) : bad(v, `not an integer in ${base}`));
      zero = (o) => put(o, 0); break;
    }
    case 'float': {
      if (base !== 'Float64') throw new Error(`rowbinary: no float encoding for ${c.chType}`);
      // Non-finite numbers are written as JSON's null: NULL in a Nullable column, else 0.
      const f: Writer = (o, v) => (typeof v === 'number' ? o.f64(Number.isFinite(v) ? v + 0 : 0) : bad(v, 'not a number'));
      if (c.nullable) {
        return (o, v) => {
          if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) o.u8(1);
          else { o.u8(0); f(o, v); }
        };
      }
      write = f; zero = (o) => o.f64(0); break;
    }
    case 'datetime64ms':
      write = (o, v) => (typeof v === 'number' && Number.isSafeInteger(v) ? o.i64(v) : bad(v, 'not an integer of ms'));
      zero = (o) => o.i64(0); break;
    case 'map': {
      const val: Writer = c.kind.value === 'string'
        ? (o, x) => (typeof x === 'string' ? o.str(x) : bad(x, 'map value is not a string'))
        : (o, x) => (typeof x === 'number' ? o.f64(Number.isFinite(x) ? x + 0 : 0) : bad(x, 'map value is not a number'));
      write = (o, v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(v, 'not a map object');
        const m = v as Record<string, unknown>;
        let n = 0;
        for (const k in m) if (Object.hasOwn(m, k)) n++;
        o.varuint(n);
        for (const k in m) if (Object.hasOwn(m, k)) { o.str(k); val(o, m[k]); }
      };
      zero = (o) => o.u8(0); break;
    }
    case 'array': {
      const nullable = c.kind.nullableElement;
      write = (o, v) => {
        if (!Array.isArray(v)) return bad(v, 'not an array');
        o.varuint(v.length);
        for (const x of v as unknown[]) {
          if (typeof x === 'string') { if (nullable) o.u8(0); o.str(x); }
          else if (x === null && nullable) o.u8(1);
          else bad(x, 'array element is not a string');
        }
      };
      zero = (o) => o.u8(0); break;
    }
  }
  if (c.nullable) return (o, v) => { if (v === null || v === undefined) o.u8(1); else { o.u8(0); write(o, v); } };
  return (o, v) => (v === null || v === undefined ? zero(o, v) : write(o, v));
}

export function compileRowBinary(table: string, columns: readonly Column[]): BinaryRowEncoder {
  const names = columns.map((c) => c.name);
  for (const n of names) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`rowbinary: column ${JSON.stringify(n)} is not a plain identifier`);
  const writers = columns.map((c) => columnWriter(table, c));
  // Generated once per table so each property is a named load (`r.request_id`), as in row-encoder.ts.
  // Names are checked identifiers from the migrations, never input.
  const body = `const o = new Out(Math.max(4096, rows.length * ${16 * columns.length}));
for (let i = 0; i < rows.length; i++) { const r = rows[i]; ${names.map((n, j) => `W[${j}](o, r.${n});`).join(' ')} }
return o.take();`;
  const factory = new Function('Out', 'W', `return function encodeRowBinary(rows) {\n${body}\n};`) as (out: typeof BinaryOut, w: readonly Writer[]) => (rows: readonly object[]) => Buffer;
  return {
    format: 'RowBinary',
    columns: names,
    structure: columns.map((c) => `${c.name} ${c.chType}`).join(', '),
    encode: factory(BinaryOut, writers),
  };
}
