import { Writer } from './writer.ts';

/**
 * Kafka writes a tagged struct field only when it differs from its default. Comparing the
 * encodings is exact and needs no per-struct equality code; tagged structs are rare (3 in
 * Fetch v12+ partitions, 1 in Produce v10+), so the two small writers are affordable.
 */
export function sameEncoding<T>(v: number, value: T, write: (w: Writer, v: number, m: T) => void, defaults: T): boolean {
  const a = new Writer(32);
  const b = new Writer(32);
  write(a, v, value);
  write(b, v, defaults);
  return a.finish().equals(b.finish());
}
