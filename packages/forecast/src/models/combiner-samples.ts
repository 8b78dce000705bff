// Bounded, deterministic training sample for the global combiner. Minutes with a request are all
// kept; idle minutes (95-99 % of function-minutes) are kept 1 in ZERO_STRIDE by a hash of
// (function id, minute) and weighted ZERO_STRIDE, so the weighted fit stays calibrated. When the
// buffer is full every second row is dropped and the kept ones count double (still unbiased), so
// memory stays at CAP rows x d features whatever the history length.
import type { WeightedRows } from './logistic.ts';

/** 1 in 16 idle minutes: the day trace's 12-hour warm-up then gives ~28k idle rows (676 functions) */
export const ZERO_STRIDE = 16;
/** 2^18 rows x 12 features x 8 bytes = 25 MB; a Newton step over it is ~40 M multiply-adds */
export const SAMPLE_CAP = 1 << 18;

/** deterministic 0..stride-1 from (id, minute): Knuth's multiplicative hash, so phases differ between functions */
export function sampleSlot(id: number, minute: number, stride: number): number {
  const h = (Math.imul(minute + 1, 2654435761) ^ Math.imul(id + 1, 40503)) >>> 0;
  return (h >>> 8) % stride;
}

export class CombinerSamples {
  private x: Float64Array;
  private y: Uint8Array;
  private w: Float64Array;
  private n = 0;
  private positives = 0;

  constructor(readonly d: number, private readonly cap = SAMPLE_CAP, private readonly zeroStride = ZERO_STRIDE) {
    const initial = Math.min(cap, 4096);
    this.x = new Float64Array(initial * d);
    this.y = new Uint8Array(initial);
    this.w = new Float64Array(initial);
  }

  get size(): number {
    return this.n;
  }

  hasBothClasses(): boolean {
    return this.positives > 0 && this.positives < this.n;
  }

  /** Offers the row of (function id, minute); kept by the rule above. */
  add(id: number, minute: number, features: Float64Array, y: boolean): void {
    let weight = 1;
    if (!y) {
      if (sampleSlot(id, minute, this.zeroStride) !== 0) return;
      weight = this.zeroStride;
    }
    if (this.n === this.cap) this.thin();
    // after k thinnings only 1 in 2^k of the rows offered from then on is kept, weighted 2^k
    if (this.offered++ % this.scale !== 0) return;
    if (this.n === this.y.length) this.grow();
    this.x.set(features.subarray(0, this.d), this.n * this.d);
    this.y[this.n] = y ? 1 : 0;
    this.w[this.n] = weight * this.scale;
    if (y) this.positives++;
    this.n++;
  }

  /** 2^(thinnings so far): keep 1 in `scale` new rows, weighted `scale`, like the old ones */
  private scale = 1;
  private offered = 0;

  private thin(): void {
    let k = 0;
    this.positives = 0;
    for (let i = 0; i < this.n; i += 2, k++) {
      this.x.copyWithin(k * this.d, i * this.d, (i + 1) * this.d);
      this.y[k] = this.y[i] ?? 0;
      this.w[k] = 2 * (this.w[i] ?? 0);
      this.positives += this.y[k] ?? 0;
    }
    this.n = k;
    this.scale *= 2;
    this.offered = 0;
  }

  private grow(): void {
    const size = Math.min(this.cap, this.y.length * 2);
    const x = new Float64Array(size * this.d);
    x.set(this.x);
    const y = new Uint8Array(size);
    y.set(this.y);
    const w = new Float64Array(size);
    w.set(this.w);
    this.x = x;
    this.y = y;
    this.w = w;
  }

  rows(): WeightedRows {
    return { d: this.d, n: this.n, x: this.x, y: this.y, w: this.w };
  }
}
