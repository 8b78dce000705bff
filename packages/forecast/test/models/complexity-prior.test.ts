import { describe, expect, it } from 'vitest';
import { ComplexityRegression, featureVector } from '../../src/models/complexity-prior.ts';

describe('ComplexityRegression', () => {
  it('recovers a known relation on synthetic data', () => {
    // logit p = -6 + 0.8 * log1p(lines) - 0.5 * log1p(durationSec), no noise, 200 samples
    const samples = [];
    let s = 7;
    const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 200; i++) {
      const lines = Math.floor(10 + rnd() * 5000);
      const durationSec = rnd() * 100;
      const z = -6 + 0.8 * Math.log1p(lines) - 0.5 * Math.log1p(durationSec);
      samples.push({ features: { lines, durationSec, cyclomatic: Math.floor(rnd() * 30) }, pAny: 1 / (1 + Math.exp(-z)) });
    }
    const reg = ComplexityRegression.fit(samples, 1e-6);
    const b = reg.coefficients;
    expect(b[0]).toBeCloseTo(-6, 2);
    expect(b[1]).toBeCloseTo(0.8, 3);
    expect(b[2]).toBeCloseTo(0, 3); // cyclomatic was irrelevant
    expect(b[5]).toBeCloseTo(-0.5, 3);
    const p = reg.predictPAny({ lines: 1000, durationSec: 1 });
    expect(p).toBeCloseTo(1 / (1 + Math.exp(-(-6 + 0.8 * Math.log1p(1000) - 0.5 * Math.log1p(1)))), 4);
  });

  it('falls back to 1 % with no data and uses log1p features with an intercept', () => {
    expect(ComplexityRegression.fit([]).predictPAny({})).toBeCloseTo(0.01, 12);
    expect(featureVector({ lines: Math.E - 1 })).toEqual([1, 1, 0, 0, 0, 0]);
  });
});
