import * as tf from '@tensorflow/tfjs';
import { MAX_HORIZON, PATCH, QUANTILE_GRID } from './config.ts';
import type { NeuralConfig } from './config.ts';
import { FEATURES_PER_STEP, STATIC_FEATURES } from './features.ts';
import type { Batch } from './sampler.ts';

/** Width of the network output: MAX_HORIZON P(any) logits, then one raw value per grid quantile. */
export const OUTPUT_WIDTH = MAX_HORIZON + QUANTILE_GRID.length;

/**
 * GRU over the window's patches, its last state joined with the static features, one hidden
 * ReLU layer, one linear output. Every initializer is seeded (seed, seed+1, ...), so a fit
 * with the same seed, data and backend starts from the same weights.
 * Size with the defaults (W = 60, 16 units, 32 hidden): GRU 3*16*(20+16+1) = 1,776 weights,
 * hidden (16+4+1)*32 = 672, output 33*39 = 1,287; 3,735 in all.
 */
export function buildNetwork(cfg: NeuralConfig): tf.LayersModel {
  const steps = cfg.windowMinutes / PATCH;
  const seqIn = tf.input({ shape: [steps, FEATURES_PER_STEP], name: 'window' });
  const statIn = tf.input({ shape: [STATIC_FEATURES], name: 'static' });
  const state = tf.layers.gru({
    units: cfg.units,
    // tfjs defaults to hardSigmoid; the plain sigmoid is what inference.ts implements.
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: cfg.seed + 1 }),
  }).apply(seqIn) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate().apply([state, statIn]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({
    units: cfg.hidden, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: cfg.seed + 2 }),
  }).apply(joined) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    units: OUTPUT_WIDTH, kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed + 3 }),
  }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: [seqIn, statIn], outputs: out });
}

/**
 * Conditional log1p-quantiles from the raw outputs: q_1 = ln 2 + softplus(r_1),
 * q_k = q_{k-1} + softplus(r_k). Monotone in the level by construction, and >= ln 2 = log1p(1)
 * because they are quantiles of a count known to be >= 1. The cumulative sum is a matmul with
 * an upper-triangular matrix of ones (works and differentiates on every backend).
 */
export function logQuantiles(raw: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const q = QUANTILE_GRID.length;
    const tri = tf.linalg.bandPart(tf.ones([q, q]), 0, -1) as tf.Tensor2D;
    const inc = tf.softplus(raw.slice([0, MAX_HORIZON], [-1, q])) as tf.Tensor2D;
    return tf.add(tf.matMul(inc, tri), Math.LN2) as tf.Tensor2D;
  });
}

/**
 * Loss = Bernoulli negative log-likelihood of "any request at t+h", h = 1..30, averaged over
 * the (h, window) pairs inside the series
 * + pinball loss of log1p(count at t+1) at the grid levels, averaged over windows whose
 * count at t+1 is > 0 (hurdle model: the zero part is the Bernoulli head at h = 1).
 * Pinball in log1p space is exact for quantiles (they commute with monotone maps) and keeps a
 * function with 10,000 calls a minute from drowning the rest.
 */
export function batchLoss(model: tf.LayersModel, b: Batch, steps: number): tf.Scalar {
  return tf.tidy(() => {
    const seq = tf.tensor3d(b.seq, [b.size, steps, FEATURES_PER_STEP]);
    const stat = tf.tensor2d(b.stat, [b.size, STATIC_FEATURES]);
    const raw = model.apply([seq, stat], { training: true }) as tf.Tensor2D;
    const logits = raw.slice([0, 0], [-1, MAX_HORIZON]);
    const y = tf.tensor2d(b.any, [b.size, MAX_HORIZON]);
    const mask = tf.tensor2d(b.anyMask, [b.size, MAX_HORIZON]);
    const bce = tf.sub(tf.softplus(logits), tf.mul(y, logits));
    const bernoulli = tf.div(tf.sum(tf.mul(bce, mask)), tf.maximum(tf.sum(mask), 1));

    const q = logQuantiles(raw);
    const target = tf.tensor2d(b.logCount, [b.size, 1]);
    const tau = tf.tensor2d([...QUANTILE_GRID], [1, QUANTILE_GRID.length]);
    const diff = tf.sub(target, q);
    const pin = tf.maximum(tf.mul(tau, diff), tf.mul(tf.sub(tau, 1), diff));
    const pos = tf.tensor2d(b.positive, [b.size, 1]);
    const pinball = tf.div(tf.sum(tf.mul(tf.mean(pin, 1, true), pos)), tf.maximum(tf.sum(pos), 1));
    return tf.add(bernoulli, pinball) as tf.Scalar;
  });
}
