import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend.ts';
import { MAX_HORIZON, PATCH, QUANTILE_GRID, resolveConfig } from './config.ts';
import type { NeuralConfig } from './config.ts';
import { NeuralModelError } from './errors.ts';
import { encodeWindow, FEATURES_PER_STEP, STATIC_FEATURES } from './features.ts';
import { hurdleQuantile } from './hurdle.ts';
import { extractWeights, forward } from './inference.ts';
import type { ForwardWeights } from './inference.ts';
import { batchLoss, buildNetwork } from './network.ts';
import { prng, sampleBatch, windowEnds } from './sampler.ts';
import type { NeuralForecast, NeuralInput, NeuralTrainingOptions } from './types.ts';

/**
 * One model shared by all functions; a function's state is its recent window (DESIGN.md 3).
 * See README.md in this folder for architecture, loss and measured figures.
 */
export class GlobalNeuralModel {
  private weights: ForwardWeights | null = null;
  private disposed = false;

  private constructor(private readonly cfg: NeuralConfig, readonly backend: string) {}

  static async create(opts?: NeuralTrainingOptions): Promise<GlobalNeuralModel> {
    const cfg = resolveConfig(opts);
    const backend = await selectBackend(cfg.backend);
    return new GlobalNeuralModel(cfg, backend);
  }

  /** Minutes of history predict() reads per function. */
  get windowMinutes(): number { return this.cfg.windowMinutes; }

  /**
   * Trains from scratch (a refit replaces the weights). series[i][m] = count of function i in
   * minute m, m = 0 at startMinuteOfDay; only the minutes given are used.
   * `seconds` is wall time measured with performance.now(), a monotonic timer: it is a
   * report, never a decision input, so it does not break "time is an argument".
   */
  async fit(series: ReadonlyArray<ArrayLike<number>>, startMinuteOfDay: number): Promise<{ seconds: number; finalLoss: number; backend: string }> {
    this.assertLive();
    const t0 = performance.now();
    const cfg = this.cfg;
    const rand = prng(cfg.seed);
    const usable = series.filter((s) => windowEnds(s.length, cfg.windowMinutes) !== null);
    if (usable.length === 0) throw new NeuralModelError('NO_TRAINING_DATA', `fit: none of ${series.length} series has at least 2 minutes`);
    const chosen = shuffle(usable.map((_, i) => i), rand).slice(0, Math.min(usable.length, cfg.maxSeries));
    const train = chosen.map((i) => usable[i] as ArrayLike<number>);

    // The tfjs backend is process-global; another create() may have switched it since ours.
    if (tf.getBackend() !== this.backend && !(await tf.setBackend(this.backend))) {
      throw new NeuralModelError('BACKEND_UNAVAILABLE', `fit: cannot switch back to backend ${this.backend}`);
    }
    const net = buildNetwork(cfg);
    const optimizer = tf.train.adam(cfg.learningRate);
    const steps = cfg.windowMinutes / PATCH;
    const perEpoch = Math.max(cfg.minWindowsPerEpoch, cfg.windowsPerSeries * train.length);
    const batches = Math.ceil(perEpoch / cfg.batchSize);
    let finalLoss = Number.NaN;
    try {
      for (let epoch = 0; epoch < cfg.epochs; epoch++) {
        const order = shuffle(train.map((_, i) => i), rand);
        let sum = 0;
        for (let k = 0; k < batches; k++) {
          const batch = sampleBatch(train, order, k * cfg.batchSize, cfg.batchSize, cfg.windowMinutes, startMinuteOfDay, rand);
          const loss = optimizer.minimize(() => batchLoss(net, batch, steps), true) as tf.Scalar;
          sum += (await loss.data())[0] as number;
          loss.dispose();
        }
        finalLoss = sum / batches;
      }
      // The tensors are freed right away: predict() runs on a plain-array copy (inference.ts).
      this.weights = extractWeights(net, steps);
    } finally {
      optimizer.dispose();
      net.dispose();
    }
    return { seconds: (performance.now() - t0) / 1000, finalLoss, backend: this.backend };
  }

  /**
   * Batched forecast. For each input: P(count > 0) for the next `horizon` minutes and the
   * count at t+1 at each level in `quantiles` (hurdle.ts). One forward pass for the batch, in
   * plain JavaScript (inference.ts), so it is async only to keep the contract open for a
   * backend-side implementation.
   * pre: 1 <= horizon <= 30 (MAX_HORIZON); every level in (0, 1).
   */
  async predict(inputs: ReadonlyArray<NeuralInput>, horizon: number, quantiles: number[]): Promise<NeuralForecast[]> {
    this.assertLive();
    const weights = this.weights;
    if (weights === null) throw new NeuralModelError('NOT_FITTED', 'predict: call fit() first');
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) throw new RangeError(`horizon=${horizon}: must be an integer in [1, ${MAX_HORIZON}]`);
    for (const q of quantiles) if (!(q > 0 && q < 1)) throw new RangeError(`quantile level ${q}: must be in (0, 1)`);
    const n = inputs.length;
    if (n === 0) return [];
    const W = this.cfg.windowMinutes;
    const steps = W / PATCH;
    const seq = new Float32Array(n * steps * FEATURES_PER_STEP);
    const stat = new Float32Array(n * STATIC_FEATURES);
    inputs.forEach((inp, j) => encodeWindow(inp.recent, inp.recent.length, W, inp.minuteOfDay, seq, j * steps * FEATURES_PER_STEP, stat, j * STATIC_FEATURES));
    const flat = forward(weights, seq, stat, n);
    const width = MAX_HORIZON + QUANTILE_GRID.length;
    const result: NeuralForecast[] = [];
    for (let j = 0; j < n; j++) {
      const row = flat.subarray(j * width, (j + 1) * width);
      const pAny = Array.from(row.subarray(0, horizon));
      const logQ = row.subarray(MAX_HORIZON);
      const p1 = pAny[0] as number;
      result.push({ pAny, countQuantiles: quantiles.map((tau) => hurdleQuantile(p1, logQ, tau)) });
    }
    return result;
  }

  /** Drops the weights (no tfjs tensors outlive fit()). The model is unusable afterwards (DISPOSED). */
  dispose(): void {
    this.weights = null;
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new NeuralModelError('DISPOSED', 'the model was disposed');
  }
}

/** Fisher-Yates with the seeded generator. */
function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}
