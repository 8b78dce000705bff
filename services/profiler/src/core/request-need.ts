// Predicted resource need of a user's next request (DESIGN.md item 3), three sources in order:
//  1. profile: >= PROFILE_MIN_SAMPLES of the user's own recent requests with metrics -> their
//     empirical quantiles (the last 64 requests);
//  2. code-features: the user's code features through @warmcast/forecast's ComplexityRegression,
//     fitted on the partition's recent (features, usage) pairs. The regression models the logit of
//     a probability; fitted on p = y / (y + y0) its logit is log(y / y0), so the same ridge solve
//     is a log-linear regression of y on log1p(features): y = y0 x p / (1 - p). Quantiles add the
//     residual spread in log space: y_q = y_hat x exp(z_q x sigma);
//  3. prior: fixed quantiles around a small function (0.25 core, 128 MiB, 1 s).
import { ComplexityRegression } from '@warmcast/forecast';
import type { UserState } from './user-state.ts';
import { LEVELS, normalQuantile, q4, sortedQuantile } from './stats-math.ts';
import type { Q4 } from './stats-math.ts';

export const PROFILE_MIN_SAMPLES = 8;
export const REGRESSION_MIN_SAMPLES = 16;
export const REGRESSION_RING = 256;
/** scales y0 of the log-linear trick: cores, MiB, ms */
const Y0 = [1, 256, 1000] as const;

export interface RequestNeedOut {
  readonly cpuCores: Q4;
  readonly memoryMb: Q4;
  readonly durationMs: Q4;
  readonly source: 'profile' | 'code-features' | 'prior';
}

export const PRIOR_NEED: RequestNeedOut = Object.freeze({
  cpuCores: q4([0.05, 0.25, 1, 2]),
  memoryMb: q4([64, 128, 512, 2048]),
  durationMs: q4([100, 1000, 10_000, 60_000]),
  source: 'prior',
});

/** One training pair: [lines, cyclomatic, imports, busy cores, peak MiB, duration ms]. */
export type NeedSample = [number, number, number, number, number, number];

export interface FittedNeed {
  readonly models: readonly { readonly reg: ComplexityRegression; readonly sigma: number }[];
}

const logit = (p: number): number => Math.log(p / (1 - p));
const clip = (p: number): number => Math.min(1 - 1e-4, Math.max(1e-4, p));

/** Fits the three log-linear regressions; undefined with too few samples. */
export function fitNeed(samples: readonly NeedSample[]): FittedNeed | undefined {
  if (samples.length < REGRESSION_MIN_SAMPLES) return undefined;
  const models = [0, 1, 2].map((col) => {
    const y0 = Y0[col as 0 | 1 | 2];
    const rows = samples.map((s) => ({ features: { lines: s[0], cyclomatic: s[1], imports: s[2] }, pAny: clip((s[3 + col] ?? 0) / ((s[3 + col] ?? 0) + y0)) }));
    const reg = ComplexityRegression.fit(rows);
    const se = rows.reduce((a, r) => a + (logit(r.pAny) - logit(clip(reg.predictPAny(r.features)))) ** 2, 0);
    return { reg, sigma: Math.sqrt(se / rows.length) };
  });
  return { models };
}

export function requestNeed(s: UserState, fitted: FittedNeed | undefined): RequestNeedOut {
  if (s.usage.length >= PROFILE_MIN_SAMPLES) {
    const col = (c: 0 | 1 | 2): Q4 => {
      const xs = s.usage.map((u) => u[c]).sort((a, b) => a - b);
      return q4(LEVELS.map((q) => sortedQuantile(xs, q)));
    };
    return { cpuCores: col(0), memoryMb: col(1), durationMs: col(2), source: 'profile' };
  }
  if (s.code && fitted) {
    const f = { lines: s.code.lines, cyclomatic: s.code.cyclomatic, imports: s.code.imports };
    const col = (c: 0 | 1 | 2): Q4 => {
      const m = fitted.models[c];
      if (!m) return PRIOR_NEED.cpuCores;
      const p = clip(m.reg.predictPAny(f));
      const yHat = Y0[c] * (p / (1 - p));
      return q4(LEVELS.map((q) => yHat * Math.exp(normalQuantile(q) * m.sigma)));
    };
    return { cpuCores: col(0), memoryMb: col(1), durationMs: col(2), source: 'code-features' };
  }
  return PRIOR_NEED;
}
