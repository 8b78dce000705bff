// RowBinary bytes by hand (ClickHouse's RowBinary: little-endian, LEB128 lengths, Nullable flag
// byte 1 = NULL), one column type at a time, then a whole table row.
import { describe, expect, it } from 'vitest';
import { Tables } from '../../src/index.ts';
import { columnKind, insertColumns } from '../../src/core/columns.ts';
import type { Column } from '../../src/core/columns.ts';
import { BinaryOut, baseType, compileRowBinary } from '../../src/core/rowbinary.ts';

const col = (chType: string, name = 'c'): Column => ({ name, chType, ...columnKind(chType) });
/** The bytes of one row holding `v` in a single column of `chType`, as hex pairs. */
const bytes = (chType: string, v: unknown): string => hex(compileRowBinary('t', [col(chType)]).encode([{ c: v }]));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('RowBinary: one value of each type the tables use', () => {
  it.each([
    ['String', 'abc', '03 61 62 63'],
    ['String', '', '00'],
    ['String', 'ü', '02 c3 bc'], // UTF-8 byte length, not UTF-16 units
    ['String', '😀', '04 f0 9f 98 80'],
    ['String', null, '00'], // NULL in a non-Nullable column: the type default ''
    ['Nullable(String)', null, '01'],
    ['Nullable(String)', undefined, '01'],
    ['Nullable(String)', 'a', '00 01 61'],
    ['LowCardinality(String)', 'ab', '02 61 62'], // LowCardinality is its inner type in RowBinary
    ['LowCardinality(Nullable(String))', null, '01'],
    ['LowCardinality(Nullable(String))', 'x', '00 01 78'],
    ['UInt8', 255, 'ff'],
    ['UInt16', 0x1234, '34 12'],
    ['UInt32', 4_294_967_295, 'ff ff ff ff'],
    ['UInt32', 0x01020304, '04 03 02 01'],
    ['UInt64', 2 ** 32 + 5, '05 00 00 00 01 00 00 00'],
    ['UInt64', Number.MAX_SAFE_INTEGER, 'ff ff ff ff ff ff 1f 00'],
    ['Nullable(UInt64)', 1, '00 01 00 00 00 00 00 00 00'],
    ['Nullable(UInt8)', null, '01'],
    ['Nullable(UInt32)', 7, '00 07 00 00 00'],
    ['Nullable(Int32)', -1, '00 ff ff ff ff'],
    ['Nullable(Int32)', -2_147_483_648, '00 00 00 00 80'],
    ['Float64', 1, '00 00 00 00 00 00 f0 3f'],
    ['Float64', -1.5, '00 00 00 00 00 00 f8 bf'],
    ['Float64', -0, '00 00 00 00 00 00 00 00'], // as JSON.stringify(-0) = "0"
    ['Float64', Number.NaN, '00 00 00 00 00 00 00 00'], // JSON writes null -> default 0
    ['Nullable(Float64)', Number.POSITIVE_INFINITY, '01'], // JSON writes null -> NULL
    ['Nullable(Float64)', 0.5, '00 00 00 00 00 00 00 e0 3f'],
    ['Bool', true, '01'],
    ['Bool', false, '00'],
    ['Nullable(Bool)', null, '01'],
    ['Nullable(Bool)', true, '00 01'],
    ["DateTime64(3, 'UTC')", 0x01_0203_0405, '05 04 03 02 01 00 00 00'],
    ["DateTime64(3, 'UTC')", 1_763_900_000_007, '07 07 a2 b0 9a 01 00 00'], // = 0x19A_B0A2_0707 ms
    ["DateTime64(3, 'UTC')", -1, 'ff ff ff ff ff ff ff ff'],
    ["DateTime64(3, 'UTC')", 0, '00 00 00 00 00 00 00 00'],
    ['Map(String, String)', { a: 'b', cd: '' }, '02 01 61 01 62 02 63 64 00'],
    ['Map(String, String)', {}, '00'],
    ['Map(String, Float64)', { k: 1 }, '01 01 6b 00 00 00 00 00 00 f0 3f'],
    ['Array(String)', ['a', ''], '02 01 61 00'],
    ['Array(String)', null, '00'],
    ['Array(Nullable(String))', ['a', null], '02 00 01 61 01'],
  ])('%s %j -> %s', (chType, v, expected) => {
    expect(bytes(chType, v)).toBe(expected);
  });

  it('LEB128 lengths past one byte: 300 bytes -> ac 02, 42 and 43 code units either side of the short-string path', () => {
    expect(hex(compileRowBinary('t', [col('String')]).encode([{ c: 'x'.repeat(300) }]).subarray(0, 3))).toBe('ac 02 78');
    for (const s of ['ü'.repeat(42), 'ü'.repeat(43), '😀'.repeat(21), 'x'.repeat(128)]) {
      const out = compileRowBinary('t', [col('String')]).encode([{ c: s }]);
      const n = Buffer.byteLength(s);
      const prefix = n < 128 ? 1 : 2;
      expect(out.length).toBe(prefix + n);
      expect(out.subarray(prefix).toString('utf8')).toBe(s);
      expect(prefix === 1 ? out[0] : ((out[0] as number) & 0x7f) + (out[1] as number) * 128).toBe(n);
    }
  });

  it('varuint of large counts and the buffer growing past its first size', () => {
    const o = new BinaryOut(1);
    o.varuint(0); o.varuint(127); o.varuint(128); o.varuint(16_384); o.varuint(2 ** 35);
    expect(hex(o.take())).toBe('00 7f 80 01 80 80 01 80 80 80 80 80 01');
  });

  it.each([
    ['UInt8', 256, /not an integer in UInt8/],
    ['UInt32', -1, /not an integer in UInt32/],
    ['UInt32', 1.5, /not an integer in UInt32/],
    ['Nullable(Int32)', 2 ** 31, /not an integer in Int32/],
    ['UInt64', 2 ** 53, /not an integer in UInt64/],
    ['UInt16', '5', /not an integer in UInt16/],
    ['String', 7, /not a string/],
    ['Bool', 1, /not a boolean/],
    ['Float64', '1', /not a number/],
    ["DateTime64(3, 'UTC')", 1.5, /not an integer of ms/],
    ['Map(String, String)', { a: 1 }, /map value is not a string/],
    ['Map(String, String)', ['a'], /not a map object/],
    ['Array(String)', [null], /array element is not a string/],
  ])('%s refuses %j with ROW_INVALID (never writes a different value)', (chType, v, message) => {
    expect(() => bytes(chType, v)).toThrow(expect.objectContaining({ code: 'ROW_INVALID', retriable: false, message: expect.stringMatching(message) }));
  });
});

describe('compileRowBinary over a table', () => {
  it('dead_letters: columns in order, rows back to back, the structure for file()', () => {
    const cols = insertColumns(Tables.deadLetters);
    const enc = compileRowBinary(Tables.deadLetters, cols);
    expect(enc.columns).toEqual(cols.map((c) => c.name));
    expect(enc.structure).toBe(cols.map((c) => `${c.name} ${c.chType}`).join(', '));
    const row = Object.fromEntries(cols.map((c) => [c.name, null]));
    // All NULL/default: one byte per column whatever its type, except fixed-width numbers.
    const expected = cols.map((c) => {
      if (c.nullable) return '01';
      const base = baseType(c.chType);
      const width = { UInt8: 1, UInt16: 2, UInt32: 4, UInt64: 8, Int32: 4, Float64: 8 }[base] ?? (base.startsWith('DateTime64') ? 8 : 1);
      return Array(width).fill('00').join(' ');
    }).join(' ');
    expect(hex(enc.encode([row]))).toBe(expected);
    expect(hex(enc.encode([row, row]))).toBe(`${expected} ${expected}`);
    expect(enc.encode([]).length).toBe(0);
  });

  it('refuses a column name that is not a plain identifier, and a type it has no encoding for', () => {
    expect(() => compileRowBinary('t', [{ ...col('String'), name: 'a;b' }])).toThrow(/plain identifier/);
    expect(() => compileRowBinary('t', [{ ...col('Float64'), chType: 'Float32' }])).toThrow(/no float encoding/);
  });
});
