// Weighted logistic regression fitted by Newton's method (IRLS) with a small ridge penalty.
// Used by the global combiner (combiner.ts): ~14 features, a few hundred thousand weighted rows,
// so one Newton step is one pass building X'WX (d x d) plus a d x d Cholesky solve; warm-started
// from the previous coefficients a refit needs 2-4 steps.

/** Rows of a design matrix, flat: row i is x[i*d .. i*d + d - 1]; y in {0, 1}; w > 0. */
export interface WeightedRows {
  readonly d: number;
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Uint8Array;
  readonly w: Float64Array;
}

export interface LogisticFitOptions {
  /** ridge penalty on every coefficient but the first (the intercept) */
  readonly l2?: number;
  readonly maxSteps?: number;
  /** start here (e.g. the previous fit) */
  readonly start?: Float64Array;
}

/** largest change of one coefficient per Newton step (logit units) */
const MAX_STEP = 4;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function dot(beta: ArrayLike<number>, x: ArrayLike<number>, offset = 0): number {
  let s = 0;
  for (let j = 0; j < beta.length; j++) s += (beta[j] ?? 0) * (x[offset + j] ?? 0);
  return s;
}

/** Solves A z = b for symmetric positive definite A (d x d, row-major); A and b are overwritten. */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j] ?? 0;
    for (let k = 0; k < j; k++) s -= (a[j * d + k] ?? 0) ** 2;
    const l = Math.sqrt(Math.max(s, 1e-12));
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j] ?? 0;
      for (let k = 0; k < j; k++) t -= (a[i * d + k] ?? 0) * (a[j * d + k] ?? 0);
      a[i * d + j] = t / l;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = b[i] ?? 0;
    for (let k = 0; k < i; k++) t -= (a[i * d + k] ?? 0) * (z[k] ?? 0);
    z[i] = t / (a[i * d + i] ?? 1);
  }
  for (let i = d - 1; i >= 0; i--) {
    let t = z[i] ?? 0;
    for (let k = i + 1; k < d; k++) t -= (a[k * d + i] ?? 0) * (z[k] ?? 0);
    z[i] = t / (a[i * d + i] ?? 1);
  }
  return z;
}

/** Coefficients minimising the weighted log loss + l2/2 |beta[1..]|^2. pre: rows.n >= 1. */
export function fitLogistic(rows: WeightedRows, opts: LogisticFitOptions = {}): Float64Array {
  const { d, n, x, y, w } = rows;
  const l2 = opts.l2 ?? 1;
  const beta = opts.start ? Float64Array.from(opts.start) : new Float64Array(d);
  const h = new Float64Array(d * d);
  const g = new Float64Array(d);
  for (let step = 0; step < (opts.maxSteps ?? 25); step++) {
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const p = sigmoid(dot(beta, x, o));
      const wi = w[i] ?? 0;
      const r = wi * ((y[i] ?? 0) - p);
      const v = wi * Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        const xj = x[o + j] ?? 0;
        g[j] = (g[j] ?? 0) + r * xj;
        const vx = v * xj;
        for (let k = 0; k <= j; k++) h[j * d + k] = (h[j * d + k] ?? 0) + vx * (x[o + k] ?? 0);
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) h[k * d + j] = h[j * d + k] ?? 0;
      if (j > 0) {
        h[j * d + j] = (h[j * d + j] ?? 0) + l2;
        g[j] = (g[j] ?? 0) - l2 * (beta[j] ?? 0);
      }
    }
    const delta = choleskySolve(h, g, d);
    let maxStep = 0;
    for (let j = 0; j < d; j++) maxStep = Math.max(maxStep, Math.abs(delta[j] ?? 0));
    // damped: a full Newton step from far away can overshoot on near-separable rows
    const scale = maxStep > MAX_STEP ? MAX_STEP / maxStep : 1;
    for (let j = 0; j < d; j++) beta[j] = (beta[j] ?? 0) + scale * (delta[j] ?? 0);
    if (maxStep < 1e-6) break;
  }
  return beta;
}
