import { PATCH } from './config.ts';

/** Per-minute features inside a patch: log1p(count) and an active flag (count > 0). */
export const FEATURES_PER_STEP = 2 * PATCH;
/** Static features: sin and cos of the target minute of day, share of active minutes and mean log1p over the window. */
export const STATIC_FEATURES = 4;

const TWO_PI_PER_DAY = (2 * Math.PI) / 1440;

/**
 * Writes the model input of one window into preallocated buffers (no allocation: the
 * replay encodes 676 windows per minute).
 *
 * Window = src[end - W .. end - 1] (most recent last); indices < 0 read as 0 (no activity).
 * seq gets W/PATCH steps of FEATURES_PER_STEP floats at seqOffset; step s, minute k of the patch
 * holds log1p(count) at s*FEATURES_PER_STEP + k and the active flag at s*FEATURES_PER_STEP + PATCH + k.
 * Worked example (PATCH = 10, W = 20): counts [0 x 19, 3] -> step 1 holds log1p(3) = 1.386 at
 * feature 9 and 1 at feature 19; static = [sin, cos, 1/20 = 0.05, 1.386/20 = 0.069].
 *
 * pre: W is a multiple of PATCH; counts are finite and >= 0, minute of day finite (RangeError otherwise).
 */
export function encodeWindow(
  src: ArrayLike<number>, end: number, windowMinutes: number, targetMinuteOfDay: number,
  seq: Float32Array, seqOffset: number, stat: Float32Array, statOffset: number,
): void {
  if (!Number.isFinite(targetMinuteOfDay)) throw new RangeError(`minuteOfDay ${targetMinuteOfDay}: must be finite`);
  const steps = windowMinutes / PATCH;
  let active = 0;
  let sumLog = 0;
  for (let s = 0; s < steps; s++) {
    const base = seqOffset + s * FEATURES_PER_STEP;
    for (let k = 0; k < PATCH; k++) {
      const i = end - windowMinutes + s * PATCH + k;
      const c = i >= 0 ? (src[i] as number) : 0;
      if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`count ${c} at index ${i}: must be finite and >= 0`);
      const l = Math.log1p(c);
      seq[base + k] = l;
      seq[base + PATCH + k] = c > 0 ? 1 : 0;
      if (c > 0) active++;
      sumLog += l;
    }
  }
  const angle = (((targetMinuteOfDay % 1440) + 1440) % 1440) * TWO_PI_PER_DAY;
  stat[statOffset] = Math.sin(angle);
  stat[statOffset + 1] = Math.cos(angle);
  stat[statOffset + 2] = active / windowMinutes;
  stat[statOffset + 3] = sumLog / windowMinutes;
}
