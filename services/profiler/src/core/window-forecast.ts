// From per-minute predictions to window distributions over [tick, tick + H minutes).
//
// Inputs: p[k] = the model's P(any request in minute k+1 after the tick) (a hazard: it assumes no
// request in between, so 1 - prod(1 - p) is P(any in the window)), and the model's empirical sizes
// of active minutes (request counts, instance counts; the last 32 active minutes). Minutes are
// treated as independent given p.
//
// Peak instances I (exact under independence): P(I < v) = prod_k (1 - p[k] x P(size >= v)). I takes
// the value 0 or one of the distinct sizes v_1 < ... < v_J, so quantiles, the mean
// sum_j (v_j - v_{j-1}) P(I >= v_j) and E[I^2] = sum_j (v_j^2 - v_{j-1}^2) P(I >= v_j) are exact.
// Example: p = 0.5 in each of 2 minutes, sizes {1, 3}: P(I >= 1) = 0.75, P(I >= 3) = 1 - 0.75^2 =
// 0.4375, mean = 0.75 + 2 x 0.4375 = 1.625.
//
// Requests S = sum of hurdle counts: P(S = 0) = prod(1 - p) exactly; given S > 0, a normal with the
// conditional mean and variance (moments exact), floored at 1 and rounded up to whole requests.
// An approximation (documented in docs/profiler.md); cheap enough for every active user per tick.
import { LEVELS, normalQuantile } from './stats-math.ts';

export interface WindowDistribution {
  readonly horizonMinutes: number;
  readonly pAny: number;
  readonly requests: number[];
  readonly instances: number[];
  readonly instanceMean: number;
  readonly instanceVariance: number;
}

const EPS = 1e-12;

function distinct(sorted: readonly number[]): number[] {
  const out: number[] = [];
  for (const x of sorted) if (out.length === 0 || out[out.length - 1] !== x) out.push(x);
  return out;
}

/**
 * pre: p.length >= max(horizons); counts and instances sorted ascending, values >= 1 (empty = a
 * user with no closed active minute yet: one request on one instance).
 */
export function windowForecast(p: readonly number[], counts: readonly number[], instances: readonly number[], horizons: readonly number[]): WindowDistribution[] {
  const cs = counts.length > 0 ? counts : [1];
  const is = instances.length > 0 ? instances : [1];
  const mu = cs.reduce((a, x) => a + x, 0) / cs.length;
  const m2 = cs.reduce((a, x) => a + x * x, 0) / cs.length;
  const values = distinct(is);
  // atLeast[j] = P(size >= values[j])
  const atLeast = values.map((v) => is.filter((x) => x >= v).length / is.length);
  const logSurv = new Float64Array(values.length); // log P(I < values[j]) so far
  let logP0 = 0;
  let mean = 0;
  let variance = 0;
  const out: WindowDistribution[] = [];
  let k = 0;
  for (const H of horizons) {
    for (; k < H; k++) {
      const pk = Math.min(1 - EPS, Math.max(0, p[k] ?? 0));
      logP0 += Math.log1p(-pk);
      mean += pk * mu;
      variance += pk * m2 - (pk * mu) ** 2;
      for (let j = 0; j < values.length; j++) logSurv[j] = (logSurv[j] ?? 0) + Math.log1p(-pk * (atLeast[j] ?? 0));
    }
    const p0 = Math.exp(logP0);
    const pAny = 1 - p0;
    // requests
    const condMean = pAny > EPS ? mean / pAny : mu;
    const condVar = pAny > EPS ? Math.max(0, (variance + mean * mean) / pAny - condMean * condMean) : 0;
    const requests = LEVELS.map((q) => {
      if (q <= p0) return 0;
      const c = Math.min(1 - 1e-9, (q - p0) / Math.max(pAny, EPS));
      return Math.max(1, Math.ceil(condMean + normalQuantile(c) * Math.sqrt(condVar) - 1e-6)); // 1e-6: float noise in a zero variance must not add a request
    });
    // peak instances
    const geq = values.map((_, j) => 1 - Math.exp(logSurv[j] ?? 0));
    const cdfAt = (j: number): number => (j + 1 < values.length ? 1 - (geq[j + 1] ?? 0) : 1); // P(I <= values[j])
    const inst = LEVELS.map((q) => {
      if (1 - (geq[0] ?? 0) >= q) return 0;
      for (let j = 0; j < values.length; j++) if (cdfAt(j) >= q - 1e-12) return values[j] ?? 0;
      return values[values.length - 1] ?? 0;
    });
    let im = 0;
    let i2 = 0;
    let prev = 0;
    for (let j = 0; j < values.length; j++) {
      const v = values[j] ?? 0;
      im += (v - prev) * (geq[j] ?? 0);
      i2 += (v * v - prev * prev) * (geq[j] ?? 0);
      prev = v;
    }
    out.push({ horizonMinutes: H, pAny, requests, instances: inst, instanceMean: im, instanceVariance: Math.max(0, i2 - im * im) });
  }
  return out;
}
