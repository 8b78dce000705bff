import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/replay/percentile.ts';

describe('percentile (linear interpolation, numpy default)', () => {
  it.each([
    // [10,20,30,40], p75: h = 3 * 0.75 = 2.25 -> 30 + 0.25 * 10 = 32.5
    [[40, 10, 30, 20], 75, 32.5],
    // p50 of 4 values: h = 1.5 -> 20 + 0.5 * 10 = 25
    [[10, 20, 30, 40], 50, 25],
    // odd count: the middle value
    [[0, 100, 50], 50, 50],
    // five values 0,0,0,100,100 at p75: h = 3 -> 100
    [[0, 0, 0, 100, 100], 75, 100],
    // p75 of 0,0,50,100: h = 2.25 -> 50 + 0.25 * 50 = 62.5
    [[0, 0, 50, 100], 75, 62.5],
    [[7], 75, 7],
    [[1, 2], 0, 1],
    [[1, 2], 100, 2],
  ])('%j at p%d = %d', (xs, p, want) => {
    expect(percentile(xs, p)).toBeCloseTo(want, 12);
  });
  it('is NaN for no values and rejects p outside [0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
