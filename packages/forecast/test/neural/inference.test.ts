import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/neural/backend.ts';
import { MAX_HORIZON, PATCH, resolveConfig } from '../../src/neural/config.ts';
import { FEATURES_PER_STEP, STATIC_FEATURES } from '../../src/neural/features.ts';
import { extractWeights, forward } from '../../src/neural/inference.ts';
import { buildNetwork, logQuantiles } from '../../src/neural/network.ts';
import { prng } from '../../src/neural/sampler.ts';

describe('forward (plain-JS inference)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('matches the tfjs network on random inputs, sparse like real windows', () => {
    const cfg = resolveConfig({ windowMinutes: 30, seed: 5 });
    const net = buildNetwork(cfg);
    // Untrained output layers are near 0; scale the weights up so the test sees saturating
    // gates and non-trivial quantile gaps, not just values around 0.5.
    net.setWeights(net.getWeights().map((t) => tf.mul(t, 1.5)));
    const steps = 30 / PATCH;
    const n = 37;
    const rand = prng(4);
    const seq = new Float32Array(n * steps * FEATURES_PER_STEP).map(() => (rand() < 0.6 ? 0 : rand() * 4));
    const stat = new Float32Array(n * STATIC_FEATURES).map(() => rand() * 2 - 1);
    // rows 3, 10 and 20 are all-idle windows (forward reuses one GRU state for them)
    for (const b of [3, 10, 20]) seq.fill(0, b * steps * FEATURES_PER_STEP, (b + 1) * steps * FEATURES_PER_STEP);
    const want = tf.tidy(() => {
      const raw = net.predict([tf.tensor3d(seq, [n, steps, FEATURES_PER_STEP]), tf.tensor2d(stat, [n, STATIC_FEATURES])]) as tf.Tensor2D;
      return tf.concat([tf.sigmoid(raw.slice([0, 0], [-1, MAX_HORIZON])), logQuantiles(raw)], 1).arraySync() as number[][];
    });
    const got = forward(extractWeights(net, steps), seq, stat, n);
    const width = want[0]!.length;
    let maxDiff = 0;
    for (let b = 0; b < n; b++) for (let j = 0; j < width; j++) maxDiff = Math.max(maxDiff, Math.abs(got[b * width + j]! - want[b]![j]!));
    // float32 (tfjs) against float64 (here): agreement to ~1e-6 relative, 1e-4 is generous.
    expect(maxDiff).toBeLessThan(1e-4);
    // and the comparison is not vacuous: outputs do vary across windows
    const first = want.map((row) => row[0]!);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(0.05);
    net.dispose();
  });
});
