import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/server/frame-reader.ts';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('FrameReader', () => {
  const a = Buffer.from('0123456789abcdef');
  const b = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ');

  it('returns several frames from one chunk', () => {
    const r = new FrameReader(1024);
    r.push(Buffer.concat([frame(a), frame(b)]));
    expect(r.next()).toEqual({ kind: 'frame', frame: a });
    expect(r.next()).toEqual({ kind: 'frame', frame: b });
    expect(r.next()).toBeUndefined();
    expect(r.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every byte, including inside the size prefix', () => {
    const all = Buffer.concat([frame(a), frame(b)]);
    const r = new FrameReader(1024);
    const out: Buffer[] = [];
    for (let i = 0; i < all.length; i++) {
      r.push(all.subarray(i, i + 1));
      for (let f = r.next(); f !== undefined; f = r.next()) if (f.kind === 'frame') out.push(Buffer.from(f.frame));
    }
    expect(out).toEqual([a, b]);
  });

  it('reports sizes below the smallest header and above the limit', () => {
    const small = new FrameReader(1024);
    small.push(frame(Buffer.alloc(3)));
    expect(small.next()).toEqual({ kind: 'bad-size', size: 3 });
    const big = new FrameReader(1024);
    const hdr = Buffer.alloc(4);
    hdr.writeInt32BE(1025);
    big.push(hdr);
    expect(big.next()).toEqual({ kind: 'bad-size', size: 1025 });
    const negative = new FrameReader(1024);
    negative.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(negative.next()).toEqual({ kind: 'bad-size', size: -1 });
  });
});
