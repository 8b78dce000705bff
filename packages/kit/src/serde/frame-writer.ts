// Writes Confluent-framed Avro values (0x00, 4-byte big-endian schema id, Avro body) into
// one shared slab and hands out views of it: header and body land in the same bytes with no
// Buffer.concat and no copy. avsc's toBuffer() encodes into its own scratch buffer, allocates
// the result and copies; Buffer.concat([header, body]) then allocates and copies again.
// `npm run bench:codec` measures the three ways side by side (README "Codec benchmark").
//
// Each returned Buffer is a subarray of a slab (as Node's own 8 KiB Buffer pool does): a
// slab is freed once no value cut from it is referenced any more. A value never changes after
// it was returned: the next one is written after it, and a full slab is replaced, not reused.
import type avro from 'avsc';

export const HEADER_BYTES = 5;

// 64 KiB: ~170 exec.event.normalized.v1 values (~380 bytes) per slab, so the allocation is
// paid once per ~170 values, and a value kept alive pins at most 64 KiB.
const DEFAULT_SLAB_BYTES = 64 * 1024;

export class FrameWriter {
  private readonly slabBytes: number;
  private slab: Buffer;
  private pos = 0;

  constructor(slabBytes = DEFAULT_SLAB_BYTES) {
    this.slabBytes = slabBytes;
    this.slab = Buffer.allocUnsafe(slabBytes);
  }

  /** Throws whatever avsc throws for a value that does not match `type` (nothing is kept). */
  write(schemaId: number, type: avro.Type, value: unknown): Buffer {
    const start = this.pos;
    if (this.slab.length - start > HEADER_BYTES) {
      const end = this.writeAt(this.slab, start, schemaId, type, value);
      if (end >= 0) {
        this.pos = end;
        return this.slab.subarray(start, end);
      }
      // Did not fit: avsc returns -(bytes missing). The value needs (slab end - start) + missing.
      this.replaceSlab(this.slab.length - start - end);
    } else {
      this.replaceSlab(HEADER_BYTES + 1);
    }
    const end = this.writeAt(this.slab, 0, schemaId, type, value);
    if (end < 0) throw new RangeError(`frame writer: value still does not fit a fresh ${this.slab.length}-byte slab`);
    this.pos = end;
    return this.slab.subarray(0, end);
  }

  private writeAt(slab: Buffer, start: number, schemaId: number, type: avro.Type, value: unknown): number {
    slab[start] = 0;
    slab.writeInt32BE(schemaId, start + 1);
    return type.encode(value, slab, start + HEADER_BYTES);
  }

  // A value larger than the slab gets a slab of twice its size (the next ones fill the rest).
  private replaceSlab(needBytes: number): void {
    this.slab = Buffer.allocUnsafe(Math.max(this.slabBytes, 2 * needBytes));
    this.pos = 0;
  }
}

