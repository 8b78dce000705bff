import { describe, expect, it } from 'vitest';
import { ModelSelector } from '../../src/models/model-selector.ts';

describe('ModelSelector', () => {
  it('chooses a timer-aware model for a timer and answers with a hurdle distribution', () => {
    const m = new ModelSelector({ prior: 0.01, startMinuteOfDay: 0 });
    for (let t = 0; t <= 590; t++) m.observe({ minute: t, count: t % 15 === 0 ? 4 : 0, instances: t % 15 === 0 ? 2 : 0 });
    // last observed minute 590, last busy 585: horizon 1 (minute 591, gap 6) is between firings,
    // horizon 10 (minute 600, gap 15) is the next firing
    expect(['hazard', 'periodic']).toContain(m.chosen.name);
    const d = m.predict([1, 10], [0.5, 0.99]);
    expect(d.pAny[0]).toBeLessThan(0.05);
    expect(d.pAny[1]).toBeGreaterThan(0.9);
    expect(d.instanceQuantiles[1]).toEqual([2, 2]);
    expect(d.requestQuantiles[1]).toEqual([4, 4]);
    expect(d.instanceQuantiles[0]).toEqual([0, 0]);
  });

  it('prefers the smoothed rate for memoryless arrivals over a stale timer guess', () => {
    const m = new ModelSelector({ prior: 0.01, startMinuteOfDay: 0 });
    let s = 3;
    const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 2000; t++) {
      const busy = rnd() < 0.5;
      m.observe({ minute: t, count: busy ? 1 : 0, instances: busy ? 1 : 0 });
    }
    expect(m.chosen.name).not.toBe('periodic');
    expect(m.pAny(2000)).toBeGreaterThan(0.3);
    expect(m.pAny(2000)).toBeLessThan(0.7);
  });
});
