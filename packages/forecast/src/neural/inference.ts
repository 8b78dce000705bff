import type * as tf from '@tensorflow/tfjs';
import { MAX_HORIZON, QUANTILE_GRID } from './config.ts';
import { FEATURES_PER_STEP, STATIC_FEATURES } from './features.ts';

/**
 * Trained weights copied out of tfjs into plain arrays, for the forward pass below.
 * Why not tfjs predict: at batch 676 the tfjs GRU spends its time in per-op overhead
 * (measured 30-90 ms on wasm here, ~300 ms for a 60-step GRU), while the arithmetic is only
 * ~6 steps x 676 x (20 x 48 + 3 x 16 x 16) = 7 M multiply-adds, and most inputs are 0
 * (idle minutes), which plain loops can skip. This also makes inference identical on every
 * backend once the weights are fixed.
 */
export interface ForwardWeights {
  readonly units: number;
  readonly hidden: number;
  readonly steps: number;
  /** GRU input kernel [FEATURES_PER_STEP][3U], gate order z, r, h (Keras/tfjs order). */
  readonly kernel: Float64Array;
  /** GRU recurrent kernel transposed: [3U][U], so each gate unit is a dot product with h. */
  readonly recurrentT: Float64Array;
  readonly gruBias: Float64Array;
  /** hidden dense transposed: [hidden][U + STATIC_FEATURES] */
  readonly hiddenT: Float64Array;
  readonly hiddenBias: Float64Array;
  /** output dense transposed: [OUTPUT][hidden] */
  readonly outT: Float64Array;
  readonly outBias: Float64Array;
}

const OUT = MAX_HORIZON + QUANTILE_GRID.length;

/** Copies the weights of a network built by buildNetwork (network.ts). */
export function extractWeights(net: tf.LayersModel, steps: number): ForwardWeights {
  const gru = net.layers.find((l) => l.getClassName() === 'GRU');
  const dense = net.layers.filter((l) => l.getClassName() === 'Dense');
  if (gru === undefined || dense.length !== 2) throw new TypeError('extractWeights: not a network from buildNetwork');
  const [k, r, b] = gru.getWeights().map((t) => Float64Array.from(t.dataSync()));
  const [hk, hb] = (dense[0] as tf.layers.Layer).getWeights().map((t) => Float64Array.from(t.dataSync()));
  const [ok, ob] = (dense[1] as tf.layers.Layer).getWeights().map((t) => Float64Array.from(t.dataSync()));
  const units = (b as Float64Array).length / 3;
  const hidden = (hb as Float64Array).length;
  return {
    units, hidden, steps,
    kernel: k as Float64Array,
    recurrentT: transpose(r as Float64Array, units, 3 * units),
    gruBias: b as Float64Array,
    hiddenT: transpose(hk as Float64Array, units + STATIC_FEATURES, hidden),
    hiddenBias: hb as Float64Array,
    outT: transpose(ok as Float64Array, hidden, OUT),
    outBias: ob as Float64Array,
  };
}

function transpose(m: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j] as number;
  return t;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));

/**
 * Forward pass for n windows. Returns n rows of OUT values: P(any) for h = 1..MAX_HORIZON,
 * then the conditional log1p-quantiles (same transform as logQuantiles in network.ts).
 * GRU step (tfjs GRUCell, reset gate applied before the recurrent matmul):
 *   z = sigmoid(x Kz + h Rz + bz), r = sigmoid(x Kr + h Rr + br),
 *   c = tanh(x Kh + (r * h) Rh + bh), h' = z * h + (1 - z) * c.
 */
export function forward(w: ForwardWeights, seq: Float32Array, stat: Float32Array, n: number): Float64Array {
  const U = w.units;
  const G = 3 * U;
  const H = w.hidden;
  const J = U + STATIC_FEATURES;
  const out = new Float64Array(n * OUT);
  const x = new Float64Array(G);
  const h = new Float64Array(U);
  const rh = new Float64Array(U);
  const z = new Float64Array(U);
  const joined = new Float64Array(J);
  const hid = new Float64Array(H);
  const { kernel, recurrentT, gruBias } = w;
  const seqWidth = w.steps * FEATURES_PER_STEP;
  // The GRU state after an all-idle window is the same for every function; on the Azure day
  // sample about half of the 676 windows are all-idle at a given minute, so compute it once.
  let idleState: Float64Array | null = null;
  for (let b = 0; b < n; b++) {
    h.fill(0);
    const idle = isZero(seq, b * seqWidth, seqWidth);
    if (idle && idleState !== null) h.set(idleState);
    else for (let s = 0; s < w.steps; s++) {
      const base = (b * w.steps + s) * FEATURES_PER_STEP;
      x.set(gruBias);
      for (let f = 0; f < FEATURES_PER_STEP; f++) {
        const v = seq[base + f] as number;
        if (v === 0) continue; // idle minutes: most of the input
        const o = f * G;
        for (let j = 0; j < G; j++) x[j] = (x[j] as number) + v * (kernel[o + j] as number);
      }
      for (let u = 0; u < U; u++) {
        let az = x[u] as number;
        let ar = x[U + u] as number;
        const oz = u * U;
        const or = (U + u) * U;
        for (let i = 0; i < U; i++) {
          const hv = h[i] as number;
          az += hv * (recurrentT[oz + i] as number);
          ar += hv * (recurrentT[or + i] as number);
        }
        z[u] = sigmoid(az);
        rh[u] = sigmoid(ar) * (h[u] as number);
      }
      for (let u = 0; u < U; u++) {
        let ac = x[2 * U + u] as number;
        const oc = (2 * U + u) * U;
        for (let i = 0; i < U; i++) ac += (rh[i] as number) * (recurrentT[oc + i] as number);
        const zu = z[u] as number;
        // h[u] is not read again in this step (rh holds r * h), so it can be overwritten.
        h[u] = zu * (h[u] as number) + (1 - zu) * Math.tanh(ac);
      }
    }
    if (idle && idleState === null) idleState = Float64Array.from(h);
    joined.set(h);
    for (let k = 0; k < STATIC_FEATURES; k++) joined[U + k] = stat[b * STATIC_FEATURES + k] as number;
    for (let j = 0; j < H; j++) {
      let a = w.hiddenBias[j] as number;
      const o = j * J;
      for (let i = 0; i < J; i++) a += (joined[i] as number) * (w.hiddenT[o + i] as number);
      hid[j] = a > 0 ? a : 0;
    }
    const row = b * OUT;
    let cum = Math.LN2;
    for (let j = 0; j < OUT; j++) {
      let a = w.outBias[j] as number;
      const o = j * H;
      for (let i = 0; i < H; i++) a += (hid[i] as number) * (w.outT[o + i] as number);
      if (j < MAX_HORIZON) out[row + j] = sigmoid(a);
      else { cum += softplus(a); out[row + j] = cum; }
    }
  }
  return out;
}

function isZero(a: Float32Array, from: number, len: number): boolean {
  for (let i = from; i < from + len; i++) if (a[i] !== 0) return false;
  return true;
}
