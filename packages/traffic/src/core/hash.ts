// Deterministic draws: every "random" choice in the generator is a function of a string
// key (function id, user id, minute, index), so the same trace gives the same events on
// every machine and run. FNV-1a 32 hashes the key into a seed; splitmix32 turns a seed
// into a stream of uniform [0, 1) numbers. Not cryptographic; requestIds use sha256.
import { createHash } from 'node:crypto';

/** FNV-1a over the UTF-16 code units of s (32-bit). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by the key. */
export function unitOf(key: string): number {
  return new Rng(fnv1a(key)).next();
}

/** splitmix32: 32-bit state, passes the usual smoke tests, 2^32 period per seed (enough per minute/function). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  }

  /** Integer in [lo, hi]. pre: lo <= hi. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/** Picks from a weighted table with a uniform u in [0, 1). pre: weights sum to 1 (+-1e-9). */
export function weighted<T>(table: readonly (readonly [T, number])[], u: number): T {
  let acc = 0;
  for (const [value, w] of table) {
    acc += w;
    if (u < acc) return value;
  }
  const last = table[table.length - 1];
  if (last === undefined) throw new RangeError('weighted pick from an empty table');
  return last[0];
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** A UUID-shaped id from sha256(key): version nibble 8 (RFC 9562 "custom"), variant 10. */
export function uuidOf(key: string): string {
  const h = sha256Hex(key);
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
