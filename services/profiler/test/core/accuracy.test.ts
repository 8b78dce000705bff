import { describe, expect, it } from 'vitest';
import { actualsOver, scorePending, scoreQuantiles } from '../../src/core/accuracy.ts';
import type { ClosedMinute, PendingForecast } from '../../src/core/user-state.ts';

describe('accuracy', () => {
  it('scores the worked example: q = (0, 1, 3, 5), actual 4', () => {
    const s = scoreQuantiles([0, 1, 3, 5], 4);
    // 0.1 x 4 = 0.4, 0.5 x 3 = 1.5, 0.9 x 1 = 0.9, (0.99 - 1) x (4 - 5) = 0.01 -> mean 0.7025
    expect(s.pinballLoss).toBeCloseTo((0.4 + 1.5 + 0.9 + 0.01) / 4, 12);
    expect(s.covered80).toBe(false);
    expect(s.covered98).toBe(true);
    expect(s.underProvisioned).toBe(1);
  });

  it('takes the sum of requests and the peak of the rest over [tick, tick + H)', () => {
    const h: ClosedMinute[] = [[9, 50, 9, 9, 9], [10, 2, 1, 0.5, 100], [12, 3, 2, 1, 300], [15, 7, 7, 7, 7]];
    expect(actualsOver(h, 10, 5)).toEqual({ requests: 5, instances: 2, cpu: 1, memory: 300 });
  });

  it('scores a kept forecast only once its horizon has closed, once', () => {
    const p: PendingForecast = { t: 10 * 60_000, model: 'seasonal', cores: 0.5, mem: 100, h: [[5, [0, 1, 3, 5], [0, 1, 1, 2], false], [15, [0, 1, 3, 5], [0, 1, 1, 2], false]] };
    const h: ClosedMinute[] = [[10, 4, 1, 0.5, 100]];
    expect(scorePending('u', p, h, 14)).toEqual([]);
    const first = scorePending('u', p, h, 15);
    expect(first.map((r) => [r.horizonMinutes, r.metric, r.actual])).toEqual([[5, 'requests', 4], [5, 'concurrent_instances', 1], [5, 'cpu_cores', 0.5], [5, 'memory_mb', 100]]);
    expect(first[0]?.scoredAt).toBe(15 * 60_000);
    expect(scorePending('u', p, h, 20)).toEqual([]);
    expect(scorePending('u', p, h, 25)).toHaveLength(4);
  });
});
