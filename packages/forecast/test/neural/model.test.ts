import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalNeuralModel, MAX_HORIZON, NeuralModelError } from '../../src/neural/index.ts';

// Synthetic day slice: minute m = 0 is 08:00. Function 0 fires 3 times every 5th minute
// (a timer), function 1 is busy every minute (15..25 calls), function 2 is silent.
const START = 480;
const LEN = 360;
const periodic = Array.from({ length: LEN }, (_, m) => (m % 5 === 0 ? 3 : 0));
const busy = Array.from({ length: LEN }, (_, m) => 15 + ((m * 7) % 11));
const silent = new Array<number>(LEN).fill(0);
const W = 30;

/** The last W minutes of a series that ends at minute `end` (exclusive), and the next minute of day. */
function windowOf(series: number[], end: number): { recent: number[]; minuteOfDay: number } {
  return { recent: series.slice(end - W, end), minuteOfDay: START + end };
}

describe('GlobalNeuralModel', () => {
  let model: GlobalNeuralModel;
  let fitResult: { seconds: number; finalLoss: number; backend: string };

  beforeAll(async () => {
    model = await GlobalNeuralModel.create({ windowMinutes: W, epochs: 10, seed: 7, backend: 'wasm' });
    fitResult = await model.fit([periodic, busy, silent], START);
  });
  afterAll(() => model.dispose());

  it('reports the backend, a finite loss and a duration', () => {
    expect(fitResult.backend).toBe('wasm');
    expect(Number.isFinite(fitResult.finalLoss)).toBe(true);
    expect(fitResult.seconds).toBeGreaterThan(0);
  });

  it('puts P(any) near 1 at the timer phase and near 0 off phase', async () => {
    // end = 300: next minute 300 is a firing minute (300 % 5 = 0); end = 302: minute 302 is not.
    const [on, off] = await model.predict([windowOf(periodic, 300), windowOf(periodic, 302)], 10, [0.5]);
    expect(on!.pAny[0]).toBeGreaterThan(0.8);
    expect(off!.pAny[0]).toBeLessThan(0.2);
    // the timer always sends 3 calls: the median at the firing minute is about 3, off phase 0
    expect(on!.countQuantiles[0]).toBeGreaterThan(2);
    expect(on!.countQuantiles[0]).toBeLessThan(4.5);
    expect(off!.countQuantiles[0]).toBe(0);
    // Along the horizon from end = 302: minutes 302..311 (h = 1..10) fire at 305 and 310 (h = 4 and 9).
    for (let h = 1; h <= 10; h++) {
      const p = off!.pAny[h - 1]!;
      if ((302 + h - 1) % 5 === 0) expect(p, `h=${h}`).toBeGreaterThan(0.6);
      else expect(p, `h=${h}`).toBeLessThan(0.4);
    }
  });

  it('puts P(any) near 1 for the busy function and near 0 for the silent one', async () => {
    const [b, s] = await model.predict([windowOf(busy, 320), windowOf(silent, 320)], 5, [0.5]);
    for (const p of b!.pAny) expect(p).toBeGreaterThan(0.9);
    for (const p of s!.pAny) expect(p).toBeLessThan(0.1);
  });

  it('returns quantiles monotone in the level, in the right range, with the right shapes', async () => {
    const levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];
    const out = await model.predict([windowOf(busy, 330), windowOf(periodic, 330), windowOf(silent, 330)], 15, levels);
    expect(out).toHaveLength(3);
    for (const f of out) {
      expect(f.pAny).toHaveLength(15);
      expect(f.countQuantiles).toHaveLength(levels.length);
      for (let i = 1; i < levels.length; i++) expect(f.countQuantiles[i]!).toBeGreaterThanOrEqual(f.countQuantiles[i - 1]!);
    }
    // busy: 15..25 calls a minute; the median is loosely in range after a few epochs.
    expect(out[0]!.countQuantiles[3]!).toBeGreaterThan(8);
    expect(out[0]!.countQuantiles[3]!).toBeLessThan(40);
    // silent: P(any) ~ 0, so every quantile up to 0.9 is 0 (hurdle).
    expect(out[2]!.countQuantiles[5]).toBe(0);
  });

  it('left-pads short histories and accepts typed arrays', async () => {
    const out = await model.predict([{ recent: new Float64Array([1, 0, 2]), minuteOfDay: 10 }, { recent: [], minuteOfDay: 0 }], 1, [0.5]);
    expect(out.map((f) => f.pAny.length)).toEqual([1, 1]);
  });

  it('rejects bad arguments as programmer errors', async () => {
    await expect(model.predict([windowOf(busy, 300)], MAX_HORIZON + 1, [0.5])).rejects.toThrow(RangeError);
    await expect(model.predict([windowOf(busy, 300)], 1, [1])).rejects.toThrow(RangeError);
    await expect(model.predict([{ recent: [-1], minuteOfDay: 0 }], 1, [0.5])).rejects.toThrow(RangeError);
  });
});

describe('GlobalNeuralModel lifecycle', () => {
  it('refuses predict before fit and any call after dispose, with coded errors', async () => {
    const m = await GlobalNeuralModel.create({ backend: 'wasm' });
    await expect(m.predict([], 1, [])).rejects.toMatchObject({ code: 'NOT_FITTED', retriable: false });
    await expect(m.fit([[1]], 0)).rejects.toMatchObject({ code: 'NO_TRAINING_DATA' });
    m.dispose();
    await expect(m.fit([[1, 2, 3]], 0)).rejects.toBeInstanceOf(NeuralModelError);
    await expect(m.predict([], 1, [])).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('keeps no tfjs tensors after fit (inference runs on a plain copy of the weights)', async () => {
    const m = await GlobalNeuralModel.create({ windowMinutes: 20, epochs: 1, seed: 3, backend: 'wasm' });
    const before = tf.memory().numTensors;
    await m.fit([periodic.slice(0, 120), busy.slice(0, 120)], 0);
    await m.predict([windowOf(busy, 100)], 5, [0.5, 0.9]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is repeatable for a seed on one backend', async () => {
    const run = async (seed: number) => {
      const m = await GlobalNeuralModel.create({ windowMinutes: 20, epochs: 1, seed, backend: 'wasm' });
      const r = await m.fit([periodic.slice(0, 120), busy.slice(0, 120)], 0);
      const [f] = await m.predict([{ recent: periodic.slice(80, 100), minuteOfDay: 100 }], 3, [0.5]);
      m.dispose();
      return { loss: r.finalLoss, pAny: f!.pAny };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.loss).not.toBe(a.loss);
  });
});
