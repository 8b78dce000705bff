import { describe, expect, it } from 'vitest';
import { scoreReplay } from '../../src/replay/scorer.ts';
import { instanceMatrix, instancesNeeded } from '../../src/replay/trace.ts';
import { smallTrace } from './helpers.ts';

describe('instancesNeeded', () => {
  it.each([
    [0, 10, 0],
    [1, 0.001, 1], // max(1, ceil(0.001/60))
    [100, 1, 2], // ceil(100 * 1 / 60) = ceil(1.67) = 2
    [60, 1, 1], // exactly 1
    [61, 1, 2],
    [3, 90, 5], // ceil(270 / 60) = ceil(4.5) = 5
  ])('n=%d d=%d -> %d', (n, d, r) => expect(instancesNeeded(n, d)).toBe(r));
});

describe('scoreReplay', () => {
  it('counts cold starts and wasted memory on hand-computed minutes', () => {
    // f0: 100 MB, d = 30 s. n = [5, 0, 3, 0, 4, 1] -> r = [3, 0, 2, 0, 2, 1] (ceil(150/60)=3, ceil(90/60)=2, ceil(120/60)=2, 1)
    // f1: 200 MB, d = 1 s. n = [0, 2, 0, 0, 0, 7] -> r = [0, 1, 0, 0, 0, 1]
    const tr = smallTrace([[5, 0, 3, 0, 4, 1], [0, 2, 0, 0, 0, 7]], { memoryMb: [100, 200], durationSec: [30, 1] });
    const r = instanceMatrix(tr);
    expect(Array.from(r[0] ?? [])).toEqual([3, 0, 2, 0, 2, 1]);
    const w = [Int32Array.from([9, 9, 1, 1, 0, 3]), Int32Array.from([9, 0, 1, 1, 1, 0])];
    // warm-up 2: score t = 2..5.
    // f0: t2 r2 w1 -> cold min(3, 1) = 1; t3 r0 w1 -> waste 1*100; t4 r2 w0 -> cold min(4, 2) = 2; t5 r1 w3 -> waste 2*100.
    //     invocations 3+0+4+1 = 8, cold 3 (37.5 %), waste 300 MB-min
    // f1: t2 r0 w1 -> waste 200; t3 -> 200; t4 -> 200; t5 r1 w0 -> cold min(7, 1) = 1. invocations 7, cold 1 (14.29 %), waste 600
    const s = scoreReplay(tr, r, w, 2);
    expect(s.scoredInvocations).toBe(15);
    expect(s.coldInvocations).toBe(4);
    expect(s.coldStartPct).toBeCloseTo((100 * 4) / 15, 10);
    expect(s.wastedGbMinutes).toBeCloseTo(900 / 1024, 10);
    // per-function % = [37.5, 14.2857]; p50 = 25.89, p75 = 14.2857 + 0.75 * 23.2143 = 31.696
    expect(s.p50FunctionColdPct).toBeCloseTo((37.5 + 100 / 7) / 2, 10);
    expect(s.p75FunctionColdPct).toBeCloseTo(100 / 7 + 0.75 * (37.5 - 100 / 7), 10);
    expect(s.scoredFunctions).toBe(2);
  });

  it('leaves functions with no scored invocation out of the percentiles', () => {
    const tr = smallTrace([[1, 0, 0], [1, 1, 1]]);
    const r = instanceMatrix(tr);
    const s = scoreReplay(tr, r, [new Int32Array(3), new Int32Array(3)], 1);
    expect(s.scoredFunctions).toBe(1);
    expect(s.p75FunctionColdPct).toBe(100);
  });
});
