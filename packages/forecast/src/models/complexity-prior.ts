// Prior for users with no history: a ridge regression of the logit of P(any request in a minute)
// on static features of the code (lines, cyclomatic complexity, imports when ingest derived them)
// and of the deployment (memory, duration). The trace carries no code, so the replay fits it on
// the warm-up functions with memory and duration only; the same class takes code metrics later.
export interface CodeFeatures {
  readonly lines?: number;
  readonly cyclomatic?: number;
  readonly imports?: number;
  readonly memoryMb?: number;
  readonly durationSec?: number;
}

const KEYS = ['lines', 'cyclomatic', 'imports', 'memoryMb', 'durationSec'] as const;

/** log1p of each feature (all are positive and heavy-tailed), missing = 0, plus an intercept */
export function featureVector(f: CodeFeatures): number[] {
  return [1, ...KEYS.map((k) => Math.log1p(Math.max(0, f[k] ?? 0)))];
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export class ComplexityRegression {
  private constructor(private readonly beta: readonly number[]) {}

  /** The prior used when nothing was fitted: 1 request-minute in 100. */
  static fallback(): ComplexityRegression {
    return new ComplexityRegression([logit(0.01), 0, 0, 0, 0, 0]);
  }

  /** Ridge (lambda = 1, intercept unpenalised) on logit(p) clipped to [1e-4, 1 - 1e-4]; solved by Gaussian elimination. */
  static fit(samples: ReadonlyArray<{ features: CodeFeatures; pAny: number }>, lambda = 1): ComplexityRegression {
    if (samples.length === 0) return ComplexityRegression.fallback();
    const d = KEYS.length + 1;
    const A = Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) => (i === j && i > 0 ? lambda : 0)));
    for (const s of samples) {
      const x = featureVector(s.features);
      const y = logit(Math.min(1 - 1e-4, Math.max(1e-4, s.pAny)));
      for (let i = 0; i < d; i++) {
        const row = A[i] as number[];
        for (let j = 0; j < d; j++) row[j] = (row[j] ?? 0) + (x[i] ?? 0) * (x[j] ?? 0);
        row[d] = (row[d] ?? 0) + (x[i] ?? 0) * y;
      }
    }
    for (let c = 0; c < d; c++) {
      let piv = c;
      for (let r = c + 1; r < d; r++) if (Math.abs(A[r]?.[c] ?? 0) > Math.abs(A[piv]?.[c] ?? 0)) piv = r;
      [A[c], A[piv]] = [A[piv] as number[], A[c] as number[]];
      const pr = A[c] as number[];
      const pv = pr[c] ?? 0;
      if (Math.abs(pv) < 1e-12) continue;
      for (let r = 0; r < d; r++) {
        if (r === c) continue;
        const row = A[r] as number[];
        const f = (row[c] ?? 0) / pv;
        for (let j = c; j <= d; j++) row[j] = (row[j] ?? 0) - f * (pr[j] ?? 0);
      }
    }
    const beta = A.map((row, i) => (Math.abs(row[i] ?? 0) < 1e-12 ? 0 : (row[d] ?? 0) / (row[i] ?? 1)));
    return new ComplexityRegression(beta);
  }

  get coefficients(): readonly number[] {
    return this.beta;
  }

  predictPAny(f: CodeFeatures): number {
    const x = featureVector(f);
    return sigmoid(x.reduce((s, xi, i) => s + xi * (this.beta[i] ?? 0), 0));
  }
}
