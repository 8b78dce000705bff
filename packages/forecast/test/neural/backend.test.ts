import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GlobalNeuralModel } from '../../src/neural/index.ts';

function nodeBackendInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(nodeBackendInstalled())('backend selection without @tensorflow/tfjs-node', () => {
  it('fails backend=tensorflow with a coded, non-retriable error', async () => {
    await expect(GlobalNeuralModel.create({ backend: 'tensorflow' })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', retriable: false });
  });

  it('falls back to wasm on auto', async () => {
    const m = await GlobalNeuralModel.create();
    expect(m.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    m.dispose();
  });
});

describe('cpu backend', () => {
  it('trains and predicts (pure JS fallback)', async () => {
    const m = await GlobalNeuralModel.create({ backend: 'cpu', windowMinutes: 10, epochs: 1, seed: 2 });
    const s = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const r = await m.fit([s], 0);
    expect(r.backend).toBe('cpu');
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    const [f] = await m.predict([{ recent: s.slice(-10), minuteOfDay: 60 }], 2, [0.5]);
    expect(f!.pAny).toHaveLength(2);
    m.dispose();
  });
});

describe('process-global backend', () => {
  it('fit switches back to the backend its model was created with', async () => {
    const a = await GlobalNeuralModel.create({ backend: 'wasm', windowMinutes: 10, epochs: 1 });
    const b = await GlobalNeuralModel.create({ backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    const r = await a.fit([[0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]], 0);
    expect(r.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    a.dispose();
    b.dispose();
  });
});
