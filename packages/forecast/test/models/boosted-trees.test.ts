import { describe, expect, it } from 'vitest';
import { BoostedTrees } from '../../src/models/boosted-trees.ts';
import { CombinerSamples } from '../../src/models/combiner-samples.ts';
import { fitLogistic, sigmoid, dot } from '../../src/models/logistic.ts';

describe('BoostedTrees', () => {
  it('learns an interaction a linear model cannot: P = 0.8 iff exactly one of x0, x1 is above 0.5, else 0.1', () => {
    let s = 5;
    const u = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    const rows = new CombinerSamples(3, 1 << 20, 1);
    for (let i = 0; i < 20_000; i++) {
      const a = u();
      const b = u();
      rows.add(0, i, Float64Array.of(1, a, b), u() < ((a > 0.5) !== (b > 0.5) ? 0.8 : 0.1));
    }
    const trees = BoostedTrees.fit(rows.rows(), { trees: 40 });
    const lin = fitLogistic(rows.rows());
    const cases = [[0.2, 0.8, 0.8], [0.8, 0.2, 0.8], [0.2, 0.2, 0.1], [0.8, 0.8, 0.1]] as const;
    for (const [a, b, p] of cases) {
      // ~5000 rows per quadrant: the leaf estimate is within a few points of p
      expect(Math.abs(trees.predict([1, a, b]) - p)).toBeLessThan(0.05);
      // the logistic regression sees no main effect and answers ~the mean, 0.45, everywhere
      expect(Math.abs(sigmoid(dot(lin, [1, a, b])) - 0.45)).toBeLessThan(0.05);
    }
  });

  it('fits the weighted mean when no split helps', () => {
    const rows = new CombinerSamples(1, 1 << 10, 1);
    for (let i = 0; i < 100; i++) rows.add(0, i, Float64Array.of(1), i % 4 === 0);
    expect(BoostedTrees.fit(rows.rows()).predict([1])).toBeCloseTo(0.25, 6);
  });
});
