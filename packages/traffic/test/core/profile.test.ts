import { describe, expect, it } from 'vitest';
import type { Trace } from '@warmcast/forecast';
import { monotone, parseProfiles, quantile } from '../../src/core/profile.ts';

describe('quantile', () => {
  const q = [[0, 10], [0.5, 20], [1, 100]] as const;
  it.each([[0, 10], [0.25, 15], [0.5, 20], [0.75, 60], [1, 100]])('u=%s -> %s', (u, v) => {
    expect(quantile(q, u)).toBeCloseTo(v, 9);
  });
  it('holds the end values outside the given p range', () => {
    expect(quantile([[0.01, 5], [0.99, 9]], 0)).toBe(5);
    expect(quantile([[0.01, 5], [0.99, 9]], 1)).toBe(9);
  });
  it('rejects an empty distribution', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
  it('monotone drops non-finite values and lifts dips', () => {
    expect(monotone([[0, 5], [0.5, NaN], [0.7, 3], [1, 8]])).toEqual([[0, 5], [0.7, 5], [1, 8]]);
  });
});

describe('parseProfiles', () => {
  const trace = (app: string, id: string): Trace => ({
    layout: '8h', minutes: 1, startMinuteOfDay: 480, counts: [Int32Array.from([1])],
    functions: [{ id, user: 'o', app, memoryMb: 150, durationSec: 0.5 }],
  });
  const durations = 'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\n'
    + 'o,a,f,20,100,2.0,900.0,5,6,10,15,25,200,400\n';

  it('reads duration percentiles and widens the ends with the true minimum and maximum', () => {
    const [p] = parseProfiles(trace('a', 'f'), { durations, memory: 'HashOwner,HashApp,SampleCount,AverageAllocatedMb\n' });
    expect(p?.durationMs).toEqual([[0, 2], [0.01, 6], [0.25, 10], [0.5, 15], [0.75, 25], [0.99, 200], [1, 900]]);
    // no memory row: point mass at the Trace's memory
    expect(p?.memoryMb).toEqual([[0.5, 150]]);
  });

  it('looks memory up by function in the 8h layout and by app in the day layout', () => {
    const byFn = 'HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n'
      + 'f,o,a,10,198.0,180.0,183.0,195.0,200.0,204.0,209.0,211.0,378.0\n';
    expect(parseProfiles(trace('a', 'f'), { durations, memory: byFn })[0]?.memoryMb.at(-1)).toEqual([1, 378]);
    const byApp = 'HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n'
      + 'o,a,900,188,172,185,185,187,188,205,214,214\n';
    expect(parseProfiles(trace('a', 'f'), { durations, memory: byApp })[0]?.memoryMb[0]).toEqual([0.01, 172]);
  });

  it('falls back to the average duration when the function has no durations row', () => {
    expect(parseProfiles(trace('a', 'other'), { durations, memory: '' })[0]?.durationMs).toEqual([[0.5, 500]]);
  });
});
