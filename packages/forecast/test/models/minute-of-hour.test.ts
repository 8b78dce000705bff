import { describe, expect, it } from 'vitest';
import { MinuteOfHourModel } from '../../src/models/minute-of-hour.ts';
import { ModelSelector } from '../../src/models/model-selector.ts';

describe('MinuteOfHourModel', () => {
  it('gives each minute of the hour its own shrunk rate', () => {
    const m = new MinuteOfHourModel(0.01, 0);
    // 10 hours; :05 busy in hours 0..8 (9 of 10), one ad-hoc request at minute 200 (:20)
    for (let t = 0; t < 600; t++) {
      const busy = (t % 60 === 5 && t < 540) || t === 200;
      m.observe({ minute: t, count: busy ? 1 : 0, instances: busy ? 1 : 0 });
    }
    const base = (10 + 2 * 0.01) / (600 + 2);
    // 4 pseudo-hours at the base rate
    expect(m.pAny(605)).toBeCloseTo((9 + 4 * base) / 14, 12);
    expect(m.pAny(606)).toBeCloseTo((4 * base) / 14, 12);
    expect(m.pAny(620)).toBeCloseTo((1 + 4 * base) / 14, 12);
  });

  it('follows the clock: slot 0 at 08:30 puts slot 5 at minute 35 of the hour', () => {
    const m = new MinuteOfHourModel(0.01, 8 * 60 + 30);
    for (let t = 0; t < 600; t++) m.observe({ minute: t, count: t % 60 === 5 ? 1 : 0, instances: t % 60 === 5 ? 1 : 0 });
    expect(m.pAny(665)).toBeCloseTo((10 + 4 * (10 + 0.02) / 602) / 14, 12);
    expect(m.pAny(635)).toBeLessThan(0.01);
  });

  it('is chosen for an hourly timer that also gets ad-hoc requests (irregular idle times)', () => {
    const sel = new ModelSelector({ prior: 0.01, startMinuteOfDay: 0 });
    sel.setDecisionThreshold(0.1);
    let s = 7;
    const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 720; t++) {
      const busy = t % 60 === 17 || rnd() < 0.03;
      sel.observe({ minute: t, count: busy ? 1 : 0, instances: busy ? 1 : 0 });
    }
    expect(sel.chosen.name).toBe('minute-of-hour');
    expect(sel.pAny(737)).toBeGreaterThan(0.1);
    expect(sel.pAny(740)).toBeLessThan(0.1);
  });
});
