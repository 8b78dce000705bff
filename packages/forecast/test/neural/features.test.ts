import { describe, expect, it } from 'vitest';
import { encodeWindow, FEATURES_PER_STEP, STATIC_FEATURES } from '../../src/neural/features.ts';

describe('encodeWindow', () => {
  it('matches the worked example (W = 20, one call of 3 in the last minute)', () => {
    const src = [...new Array<number>(19).fill(0), 3];
    const seq = new Float32Array(2 * FEATURES_PER_STEP);
    const stat = new Float32Array(STATIC_FEATURES);
    encodeWindow(src, 20, 20, 360, seq, 0, stat, 0);
    expect(seq[FEATURES_PER_STEP + 9]).toBeCloseTo(Math.log1p(3), 6);
    expect(seq[FEATURES_PER_STEP + 19]).toBe(1);
    expect(seq.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.log1p(3) + 1, 6);
    // 360 = 06:00: a quarter of a day -> sin 1, cos 0
    expect(stat[0]).toBeCloseTo(1, 6);
    expect(stat[1]).toBeCloseTo(0, 6);
    expect(stat[2]).toBeCloseTo(1 / 20, 6);
    expect(stat[3]).toBeCloseTo(Math.log1p(3) / 20, 6);
  });

  it('reads the window ending at `end` and pads before index 0 with zeros', () => {
    const src = [5, 5, 5, 5, 5, 1];
    const seq = new Float32Array(FEATURES_PER_STEP).fill(-1);
    const stat = new Float32Array(STATIC_FEATURES);
    encodeWindow(src, 5, 10, 0, seq, 0, stat, 0); // minutes -5..4: five pads then five 5s
    expect(Array.from(seq.subarray(0, 10)).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 0, 0, 0, 0, 1.792, 1.792, 1.792, 1.792, 1.792]);
    expect(Array.from(seq.subarray(10, 20))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(stat[2]).toBe(0.5);
  });

  it('wraps the minute of day and rejects bad counts', () => {
    const stat = new Float32Array(STATIC_FEATURES);
    const seq = new Float32Array(FEATURES_PER_STEP);
    encodeWindow([], 0, 10, 1440 + 360, seq, 0, stat, 0);
    expect(stat[0]).toBeCloseTo(1, 6);
    expect(() => encodeWindow([Number.NaN], 1, 10, 0, seq, 0, stat, 0)).toThrow(RangeError);
    expect(() => encodeWindow([-2], 1, 10, 0, seq, 0, stat, 0)).toThrow(RangeError);
    expect(() => encodeWindow([1], 1, 10, Number.NaN, seq, 0, stat, 0)).toThrow(RangeError);
  });
});
