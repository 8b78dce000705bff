import type { NeuralTrainingOptions } from './types.ts';

/** Longest horizon the P(any) head is trained for: 30 minutes covers the 5/15/30-minute horizons of DESIGN.md. */
export const MAX_HORIZON = 30;
/**
 * The GRU steps over patches of PATCH minutes instead of single minutes: 60 minutes = 6 steps.
 * Measured on this 2-core box (wasm, batch 676): a 60-step GRU-16 predict took ~300 ms, a
 * 6-step one ~30 ms; the budget is "well under 40 ms". Inside a patch every minute is its own
 * feature, so the phase of a 5-minute timer is still visible.
 */
export const PATCH = 10;
/**
 * Quantile levels the conditional-count head is trained on (pinball loss); other levels are
 * interpolated. Conditional on count > 0, see hurdle.ts.
 */
export const QUANTILE_GRID: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

export interface NeuralConfig {
  readonly windowMinutes: number;
  readonly epochs: number;
  readonly seed: number;
  readonly maxSeries: number;
  readonly backend: 'auto' | 'wasm' | 'cpu' | 'tensorflow';
  readonly units: number;
  readonly hidden: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Training windows per epoch: max(minWindowsPerEpoch, windowsPerSeries * number of series). */
  readonly windowsPerSeries: number;
  readonly minWindowsPerEpoch: number;
}

export const DEFAULTS: NeuralConfig = Object.freeze({
  windowMinutes: 60,
  epochs: 12,
  seed: 1,
  maxSeries: Number.POSITIVE_INFINITY,
  backend: 'auto',
  units: 16,
  hidden: 32,
  batchSize: 256,
  learningRate: 1e-2,
  windowsPerSeries: 32,
  minWindowsPerEpoch: 4096,
});

/** Defaults, validate, freeze (STYLE.md 6). Messages name the key, the value and the allowed range. */
export function resolveConfig(opts: NeuralTrainingOptions = {}): NeuralConfig {
  const c: NeuralConfig = { ...DEFAULTS, ...definedOnly(opts) };
  if (!Number.isInteger(c.windowMinutes) || c.windowMinutes < PATCH || c.windowMinutes % PATCH !== 0 || c.windowMinutes > 1440) {
    throw new RangeError(`windowMinutes=${c.windowMinutes}: must be a multiple of ${PATCH} in [${PATCH}, 1440]`);
  }
  if (!Number.isInteger(c.epochs) || c.epochs < 1 || c.epochs > 1000) throw new RangeError(`epochs=${c.epochs}: must be an integer in [1, 1000]`);
  if (!Number.isInteger(c.seed) || c.seed < 0) throw new RangeError(`seed=${c.seed}: must be a non-negative integer`);
  if (!(c.maxSeries >= 1)) throw new RangeError(`maxSeries=${c.maxSeries}: must be >= 1`);
  if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(c.backend)) throw new RangeError(`backend=${String(c.backend)}: must be auto, wasm, cpu or tensorflow`);
  return Object.freeze(c);
}

function definedOnly(o: NeuralTrainingOptions): Partial<NeuralConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<NeuralConfig>;
}
