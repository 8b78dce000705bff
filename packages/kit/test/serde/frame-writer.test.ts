// FrameWriter: values framed into a shared slab must equal header + toBuffer() and must stay
// intact when later values are written (a slab is never rewritten, only replaced).
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { FrameWriter } from '../../src/serde/frame-writer.ts';

const type = avro.Type.forSchema({ type: 'record', name: 'T', fields: [{ name: 'id', type: 'int' }, { name: 's', type: 'string' }] });
const expected = (schemaId: number, v: object): Buffer => {
  const h = Buffer.alloc(5);
  h.writeInt32BE(schemaId, 1);
  return Buffer.concat([h, type.toBuffer(v)]);
};

describe('FrameWriter', () => {
  it('writes 0x00, the big-endian id and the Avro body, as toBuffer would', () => {
    const w = new FrameWriter();
    const v = { id: 7, s: 'hello' };
    const out = w.write(0x01020304, type, v);
    expect([...out.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(out.equals(expected(0x01020304, v))).toBe(true);
  });

  it('keeps every earlier value intact across slab replacements (32-byte slabs, 200 values)', () => {
    const w = new FrameWriter(32);
    const values = Array.from({ length: 200 }, (_, i) => ({ id: i, s: 'x'.repeat(i % 23) }));
    const outs = values.map((v) => w.write(9, type, v));
    outs.forEach((out, i) => expect(out.equals(expected(9, values[i] ?? {}))).toBe(true));
  });

  it('fits a value larger than the slab, and the next values after it', () => {
    const w = new FrameWriter(32);
    const big = { id: 1, s: 'é'.repeat(5000) };
    const a = w.write(3, type, big);
    const b = w.write(3, type, { id: 2, s: 'small' });
    expect(a.equals(expected(3, big))).toBe(true);
    expect(b.equals(expected(3, { id: 2, s: 'small' }))).toBe(true);
  });

  it('throws on a value that does not match, and the next value is still right', () => {
    const w = new FrameWriter(64);
    const first = w.write(5, type, { id: 1, s: 'a' });
    expect(() => w.write(5, type, { id: 'not an int', s: 'b' })).toThrow();
    const next = w.write(5, type, { id: 2, s: 'c' });
    expect(first.equals(expected(5, { id: 1, s: 'a' }))).toBe(true);
    expect(next.equals(expected(5, { id: 2, s: 'c' }))).toBe(true);
  });
});
