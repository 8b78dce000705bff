// Kafka's default partitioner for keyed records: murmur2 of the key bytes, made positive,
// modulo the partition count. Records land where kafkajs or the Java client would put them
// (services/ingest/test/shell/lean-forwarder.test.ts checks this against kafkajs's murmur2).

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), 32-bit. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  const tail = length & ~3;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) { h ^= data[tail]! & 0xff; h = Math.imul(h, m); }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

export function partitionOf(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * Key bytes and murmur2 hash per key string: users repeat (the ingest sample has ~1.5k users for
 * 100k events), so the per-record Buffer.from(key) (64 hex chars) and the 16-step hash are done
 * once per user. Cleared wholesale when full, like the pseudonymizer's cache.
 */
export class KeyCache {
  private readonly map = new Map<string, { readonly bytes: Buffer; readonly hash: number }>();
  constructor(private readonly max = 100_000) {}
  get(key: string): { readonly bytes: Buffer; readonly hash: number } {
    let k = this.map.get(key);
    if (k === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      const bytes = Buffer.from(key, 'utf8');
      k = { bytes, hash: murmur2(bytes) & 0x7fffffff };
      this.map.set(key, k);
    }
    return k;
  }
  get size(): number { return this.map.size; }
}
