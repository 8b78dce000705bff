import { describe, expect, it } from 'vitest';
import { CombinedModel, GlobalCombiner, activityBand, featureNames } from '../../src/models/combiner.ts';
import type { IdleHazardModel } from '../../src/models/idle-hazard.ts';
import { combinedForecasts } from '../../src/replay/combined-forecasts.ts';
import { instanceMatrix } from '../../src/replay/trace.ts';
import { smallTrace } from '../replay/helpers.ts';

/** function f fires at minute-of-hour (7 + 5 f) of every hour, nothing else */
function hourlyTimers(functions: number, minutes: number): number[][] {
  return Array.from({ length: functions }, (_, f) => Array.from({ length: minutes }, (_, t) => (t % 60 === 7 + 5 * f ? 1 : 0)));
}

describe('GlobalCombiner / CombinedModel', () => {
  it('answers with the idle-time hazard until the first fit', () => {
    const combiner = new GlobalCombiner();
    const m = new CombinedModel({ prior: 0.05, startMinuteOfDay: 0, id: 0, combiner });
    for (let t = 0; t < 30; t++) m.observe({ minute: t, count: t % 4 === 0 ? 1 : 0, instances: t % 4 === 0 ? 1 : 0 });
    const hazard = m.selector.candidates[0] as IdleHazardModel;
    expect(m.pAny(30)).toBe(hazard.pAny(30));
    expect(combiner.coefficients.every((b) => b === null)).toBe(true);
    combiner.refit();
    expect(m.pAny(30)).not.toBe(hazard.pAny(30));
  });

  it('learns hourly timers from the other features: high at the firing minute, low elsewhere', () => {
    const trace = smallTrace(hourlyTimers(8, 360));
    const c = combinedForecasts(trace, instanceMatrix(trace), 180);
    expect(c.fits).toBe(5);
    for (let f = 0; f < 8; f++) {
      const row = c.pAny[f] as Float32Array;
      // the sixth hour: fired in all five before
      expect(row[300 + 7 + 5 * f]).toBeGreaterThan(0.5);
      expect(row[300 + ((7 + 5 * f + 30) % 60)]).toBeLessThan(0.05);
    }
  });

  it('is causal: changing minutes from t0 on leaves every forecast up to t0 as it was', () => {
    const a = hourlyTimers(6, 300);
    const b = a.map((row, f) => row.map((v, t) => (t >= 200 && (t + f) % 3 === 0 ? 4 : v)));
    const ta = smallTrace(a);
    const tb = smallTrace(b);
    const fa = combinedForecasts(ta, instanceMatrix(ta), 120);
    const fb = combinedForecasts(tb, instanceMatrix(tb), 120);
    for (let f = 0; f < 6; f++) {
      expect(Array.from((fb.pAny[f] as Float32Array).subarray(0, 201))).toEqual(Array.from((fa.pAny[f] as Float32Array).subarray(0, 201)));
    }
    // and the change is visible after it (the test would pass vacuously otherwise)
    expect(fb.pAny.some((row, f) => row.some((v, t) => t > 201 && v !== (fa.pAny[f] as Float32Array)[t]))).toBe(true);
  });

  it('puts functions in decade bands of request-minutes per hour', () => {
    expect([0.05, 0.99, 1, 9.9, 10, 60].map((a) => activityBand(a, true))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(activityBand(30, false)).toBe(0);
    expect(featureNames({ hourOfDay: true })).toHaveLength(featureNames().length + 2);
  });
});
