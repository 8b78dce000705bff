import { describe, expect, it } from 'vitest';
import { HISTOGRAM_RANGE_MINUTES, histogramWindow, hybridHistogram } from '../../../src/replay/baselines/hybrid-histogram.ts';

function row(T: number, busy: Record<number, number>): Int32Array {
  const r = new Int32Array(T);
  for (const [t, v] of Object.entries(busy)) r[Number(t)] = v;
  return r;
}

describe('hybridHistogram', () => {
  it('uses the standard 240-minute keep-alive before any idle time is known', () => {
    // one invocation at t = 0 with r = 2: warm (2) for g = 1..240, i.e. t = 1..240, cold again at 241
    const w = hybridHistogram([row(300, { 0: 2 })])[0] ?? new Int32Array(0);
    expect(w[0]).toBe(0);
    expect(w[1]).toBe(2);
    expect(w[240]).toBe(2);
    expect(w[241]).toBe(0);
  });

  it('pre-warms a 30-minute timer around its period (hand-computed window)', () => {
    // invocations at 0, 30, 60: idle times [30, 30]. Histogram: bin 30 has 2, the other 239 bins 0:
    // mean = 2/240, sd = sqrt((2-m)^2 + 239 m^2)/sqrt(240) -> CV = sqrt(239) = 15.46 >= 2, representative.
    // p5 = p99 = 30 (nearest rank) -> preWarm = floor(0.9 * 30) = 27, end = ceil(1.1 * 30) = 33.
    // After t = 60 (r = 1): warm for t = 87..93; the firing at t = 90 is warm and becomes the new
    // last invocation, so t = 91..94 are gaps 1..4 (< 27): cold again.
    const w = hybridHistogram([row(130, { 0: 1, 30: 1, 60: 1, 90: 1 })])[0] ?? new Int32Array(0);
    expect(Array.from(w.subarray(84, 95))).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    // after t = 90 the window is recomputed with ITs [30,30,30]: same 27..33 -> t = 117..123
    expect(w[116]).toBe(0);
    expect(w[117]).toBe(1);
    expect(w[123]).toBe(1);
    expect(w[124]).toBe(0);
    // between 30 and 60 only one idle time (30) was known: window 27..33 again -> t = 57..63 warm
    expect(w[56]).toBe(0);
    expect(w[57]).toBe(1);
  });

  it('falls back to the whole range when the histogram is flat (CV < 2)', () => {
    // 120 idle times spread one per bin over 1..120 and 240 bins: counts 1 in 120 bins, 0 in 120.
    // mean 0.5, sd 0.5 -> CV = 1 < 2 -> whole range.
    const bins = new Int32Array(HISTOGRAM_RANGE_MINUTES);
    const its: number[] = [];
    for (let i = 0; i < 120; i++) {
      bins[i] = 1;
      its.push(i + 1);
    }
    expect(histogramWindow(bins, 120, its)).toEqual({ preWarm: 1, end: 240 });
  });

  it('forecasts the next idle time when at least half exceed the range', () => {
    // idle times [300, 500]: both out of bounds -> mean forecast 400 (fewer than 10 values)
    // window [floor(0.85 * 400), ceil(1.15 * 400)] = [340, 460]
    expect(histogramWindow(new Int32Array(HISTOGRAM_RANGE_MINUTES), 0, [300, 500])).toEqual({ preWarm: 340, end: 460 });
  });

  it('is causal: changing the future does not change past decisions', () => {
    const a = row(200, { 0: 1, 10: 1, 20: 1, 150: 3 });
    const b = row(200, { 0: 1, 10: 1, 20: 1, 150: 3, 160: 5 });
    const wa = hybridHistogram([a])[0] ?? new Int32Array(0);
    const wb = hybridHistogram([b])[0] ?? new Int32Array(0);
    expect(Array.from(wa.subarray(0, 161))).toEqual(Array.from(wb.subarray(0, 161)));
  });
});
