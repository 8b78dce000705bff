import { describe, expect, it } from 'vitest';
import { ModelSelector, decisionLoss } from '../../src/models/model-selector.ts';

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

describe('ModelSelector after a request', () => {
  it('answers at least the hazard within 10 minutes of a request, the chosen model otherwise', () => {
    // an hourly pair of minutes (:17, :18) plus random requests: the minute-of-hour rate is chosen,
    // but it does not know that a request is often followed by another in the next minute
    const sel = new ModelSelector({ prior: 0.01, startMinuteOfDay: 0 });
    sel.setDecisionThreshold(0.1);
    let s = 7;
    const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 720; t++) {
      const busy = t % 60 === 17 || t % 60 === 18 || rnd() < 0.03;
      sel.observe({ minute: t, count: busy ? 1 : 0, instances: busy ? 1 : 0 });
    }
    sel.observe({ minute: 720, count: 1, instances: 1 });
    expect(sel.chosen.name).toBe('minute-of-hour');
    const hazard = sel.candidates.find((c) => c.name === 'hazard');
    const h1 = hazard?.pAny(721) ?? 0;
    expect(h1).toBeGreaterThan(sel.chosen.pAny(721));
    expect(sel.pAny(721)).toBe(h1);
    // within 10 minutes of the request the hazard stays a floor; from 11 minutes on the chosen model alone
    for (let t = 721; t < 730; t++) sel.observe({ minute: t, count: 0, instances: 0 });
    expect(sel.pAny(730)).toBe(Math.max(sel.chosen.pAny(730), hazard?.pAny(730) ?? 0));
    sel.observe({ minute: 730, count: 0, instances: 0 });
    expect(sel.chosen.name).toBe('minute-of-hour');
    expect(sel.pAny(731)).toBe(sel.chosen.pAny(731));
    expect(hazard?.pAny(731)).not.toBe(sel.chosen.pAny(731));
  });
});

describe('decisionLoss', () => {
  it.each([
    // theta 0.2: a missed request costs 0.8, an idle warm minute 0.2, right calls 0
    [0.1, true, 0.2, 0.8],
    [0.3, true, 0.2, 0],
    [0.3, false, 0.2, 0.2],
    [0.1, false, 0.2, 0],
    [0.2, false, 0.2, 0.2], // p == theta warms
  ])('p=%d request=%s theta=%d -> %d', (p, y, theta, want) => {
    expect(decisionLoss(p, y, theta)).toBeCloseTo(want, 12);
  });

  it('makes the selector prefer the model whose decisions are right', () => {
    // a 7-minute timer; with theta 0.3 the hazard/timer models warm exactly the firing minute
    const m = new ModelSelector({ prior: 0.01, startMinuteOfDay: 0 });
    m.setDecisionThreshold(0.3);
    for (let t = 0; t < 400; t++) m.observe({ minute: t, count: t % 7 === 0 ? 1 : 0, instances: t % 7 === 0 ? 1 : 0 });
    expect(['hazard', 'periodic']).toContain(m.chosen.name);
    expect(m.pAny(406)).toBeGreaterThanOrEqual(0.3); // 399 fired; 406 is the next firing
    expect(m.pAny(403)).toBeLessThan(0.3);
  });
});
