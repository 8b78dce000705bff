import { MAX_HORIZON, PATCH } from './config.ts';
import { encodeWindow, FEATURES_PER_STEP, STATIC_FEATURES } from './features.ts';

/** mulberry32: a small seeded PRNG, so that window sampling repeats exactly for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One training batch as flat arrays, shaped for the network (network.ts). */
export interface Batch {
  readonly size: number;
  readonly seq: Float32Array;     // [size, steps, FEATURES_PER_STEP]
  readonly stat: Float32Array;    // [size, STATIC_FEATURES]
  readonly any: Float32Array;     // [size, MAX_HORIZON] 1 if count > 0 at t+h
  readonly anyMask: Float32Array; // [size, MAX_HORIZON] 0 where t+h is past the end of the series
  readonly logCount: Float32Array; // [size] log1p(count at t+1)
  readonly positive: Float32Array; // [size] 1 if count at t+1 > 0 (the quantile head learns only there)
}

/**
 * A window ends at index e (last observed minute) and forecasts e+1..e+H. Valid e: from
 * W-1 (a full window) when the series is long enough, else from 0 (left padding), to
 * len-2 (at least one target). Returns [lo, hi] inclusive, or null when len < 2.
 */
export function windowEnds(len: number, windowMinutes: number): [number, number] | null {
  if (len < 2) return null;
  const lo = len >= windowMinutes + 1 ? windowMinutes - 1 : 0;
  return [lo, len - 2];
}

/**
 * Balanced sampling: window j of the batch belongs to series order[(start + j) % n], so every
 * series gets the same number of windows per epoch whatever its volume (a function invoked
 * twice a day weighs as much as one invoked 10,000 times a minute). The end minute within
 * the series is uniform over windowEnds.
 */
export function sampleBatch(
  series: ReadonlyArray<ArrayLike<number>>, order: readonly number[], start: number, size: number,
  windowMinutes: number, startMinuteOfDay: number, rand: () => number,
): Batch {
  const steps = windowMinutes / PATCH;
  const b: Batch = {
    size,
    seq: new Float32Array(size * steps * FEATURES_PER_STEP),
    stat: new Float32Array(size * STATIC_FEATURES),
    any: new Float32Array(size * MAX_HORIZON),
    anyMask: new Float32Array(size * MAX_HORIZON),
    logCount: new Float32Array(size),
    positive: new Float32Array(size),
  };
  for (let j = 0; j < size; j++) {
    const idx = order[(start + j) % order.length] as number;
    const s = series[idx] as ArrayLike<number>;
    const range = windowEnds(s.length, windowMinutes) as [number, number];
    const e = range[0] + Math.floor(rand() * (range[1] - range[0] + 1));
    encodeWindow(s, e + 1, windowMinutes, startMinuteOfDay + e + 1, b.seq, j * steps * FEATURES_PER_STEP, b.stat, j * STATIC_FEATURES);
    for (let h = 1; h <= MAX_HORIZON; h++) {
      const t = e + h;
      if (t >= s.length) break;
      b.any[j * MAX_HORIZON + h - 1] = (s[t] as number) > 0 ? 1 : 0;
      b.anyMask[j * MAX_HORIZON + h - 1] = 1;
    }
    const next = s[e + 1] as number;
    b.logCount[j] = Math.log1p(next);
    b.positive[j] = next > 0 ? 1 : 0;
  }
  return b;
}

