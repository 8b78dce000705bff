import { describe, expect, it } from 'vitest';
import { Reader, Writer, ProtocolError } from '../src/index.ts';

const hex = (fn: (w: Writer) => void): string => { const w = new Writer(4); fn(w); return w.finish().toString('hex'); };
const reader = (h: string): Reader => new Reader(Buffer.from(h, 'hex'));

describe('Writer/Reader primitives (hand-checked bytes)', () => {
  it('compact nullable string: null = 00, "" = 01, "ab" = 03 61 62', () => {
    expect(hex((w) => w.compactNullableString(null))).toBe('00');
    expect(hex((w) => w.compactNullableString(''))).toBe('01');
    expect(hex((w) => w.compactNullableString('ab'))).toBe('036162');
    expect(reader('00').compactNullableString()).toBeNull();
    expect(reader('036162').compactNullableString()).toBe('ab');
    expect(() => reader('00').compactString()).toThrow(ProtocolError);
  });
  it('classic nullable string: null = ffff, utf8 byte length', () => {
    expect(hex((w) => w.nullableString(null))).toBe('ffff');
    expect(hex((w) => w.nullableString('é'))).toBe('0002c3a9');
    expect(reader('0002c3a9').string()).toBe('é');
    expect(() => reader('fffe').nullableString()).toThrow(ProtocolError);
  });
  it('unsigned varint edge values', () => {
    expect(hex((w) => w.uvarint(0))).toBe('00');
    expect(hex((w) => w.uvarint(127))).toBe('7f');
    expect(hex((w) => w.uvarint(128))).toBe('8001');
    expect(hex((w) => w.uvarint(300))).toBe('ac02');
    expect(hex((w) => w.uvarint(0xffffffff))).toBe('ffffffff0f');
    expect(reader('ffffffff0f').uvarint()).toBe(0xffffffff);
    expect(() => reader('ffffffffff01').uvarint()).toThrow(ProtocolError);
    expect(() => reader('80').uvarint()).toThrow(ProtocolError);
  });
  it('zigzag varint / varlong', () => {
    expect(hex((w) => w.varint(0))).toBe('00');
    expect(hex((w) => w.varint(-1))).toBe('01');
    expect(hex((w) => w.varint(1))).toBe('02');
    expect(hex((w) => w.varint(-2))).toBe('03');
    expect(hex((w) => w.varint(2147483647))).toBe('feffffff0f');
    expect(hex((w) => w.varint(-2147483648))).toBe('ffffffff0f');
    expect(reader('ffffffff0f').varint()).toBe(-2147483648);
    expect(hex((w) => w.varlong(-1n))).toBe('01');
    expect(hex((w) => w.varlong(9223372036854775807n))).toBe('feffffffffffffffff01');
    expect(reader('ffffffffffffffffff01').varlong()).toBe(-9223372036854775808n);
    expect(reader('feffffffffffffffff01').varlong()).toBe(9223372036854775807n);
  });
  it('int64 big-endian', () => {
    expect(hex((w) => w.int64(-2n))).toBe('fffffffffffffffe');
    expect(hex((w) => w.int64(0x0102030405060708n))).toBe('0102030405060708');
    expect(reader('8000000000000000').int64()).toBe(-9223372036854775808n);
  });
  it('tag buffer: skipTags skips unknown tagged fields by size', () => {
    // 2 fields: tag 0 size 2 [aa bb], tag 5 size 1 [cc]; then int8 7
    const r = reader('02' + '0002aabb' + '0501cc' + '07');
    r.skipTags();
    expect(r.int8()).toBe(7);
    expect(() => reader('01' + '0005aa').skipTags()).toThrow(ProtocolError);
  });
  it('array counts larger than the bytes left fail before allocating', () => {
    expect(() => reader('7fffffff00').arrayLength()).toThrow(ProtocolError);
    expect(() => reader('ffffffff0f').compactArrayLength()).toThrow(ProtocolError);
    expect(reader('ffffffff').arrayLength()).toBe(-1);
    expect(reader('00').compactArrayLength()).toBe(-1);
  });
  it('grows and keeps large blobs by reference until finish', () => {
    const big = Buffer.alloc(70_000, 5);
    const w = new Writer(2);
    w.int32(1);
    w.nullableBytes(big);
    w.int8(9);
    const out = w.finish();
    expect(out.length).toBe(4 + 4 + 70_000 + 1);
    expect(w.length).toBe(out.length);
    expect(out.readInt32BE(4)).toBe(70_000);
    expect(out[out.length - 1]).toBe(9);
    expect(out.subarray(8, 8 + 70_000).equals(big)).toBe(true);
  });
});
