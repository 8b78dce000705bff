import { describe, expect, it } from 'vitest';
import { CombinedModel, GlobalCombiner, featureNames } from '../../src/models/combiner.ts';
import type { IdleHazardModel } from '../../src/models/idle-hazard.ts';
import { ModelSelector } from '../../src/models/model-selector.ts';
import { ServedCombiner, appliedFrom, versionAt } from '../../src/serving/served-combiner.ts';
import { combinerVersionProblem } from '../../src/serving/combiner-version.ts';
import type { CombinerVersion } from '../../src/serving/combiner-version.ts';
import { SERVING_PRIOR, trainCombiner } from '../../src/serving/combiner-trainer.ts';
import type { UserMinuteSeries } from '../../src/serving/combiner-trainer.ts';

const d = featureNames().length;
function version(v: number, from: number, coef: number[] = [-2, ...Array.from({ length: d - 1 }, () => 0)]): CombinerVersion {
  return { version: v, trainedThroughMinute: from - 1, effectiveFromMinute: from, featureNames: featureNames(), coefficientsByBand: [coef, coef, []], rowsByBand: [1, 1, 0], hourOfDay: false, bands: true, l2: 1, prior: SERVING_PRIOR, users: 1 };
}

/** user u fires every half hour, at minute (7 + 3 u) mod 30 of [from, through] (2 request-minutes per hour: band 1) */
function hourlyTimers(users: number, from: number, through: number): UserMinuteSeries[] {
  return Array.from({ length: users }, (_, u) => {
    const minutes: number[] = [];
    for (let t = from; t <= through; t++) if (t % 30 === 7 + 3 * u) minutes.push(t);
    return { minutes, counts: minutes.map(() => 1), instances: minutes.map(() => 1) };
  });
}

describe('versionAt / appliedFrom', () => {
  const a = { model: version(1, 100), fromMinute: 100 };
  const b = { model: version(2, 160), fromMinute: 160 };
  const c = { model: version(3, 160), fromMinute: 160 };
  it.each([
    [99, undefined],
    [100, 1],
    [159, 1],
    [160, 3], // same minute: the higher version
    [10_000, 3],
  ])('minute %i -> version %s', (minute, want) => {
    expect(versionAt([b, a, c], minute)?.model.version).toBe(want);
  });

  it.each([
    ['nothing forecast yet', undefined, { fromMinute: 100, late: false }],
    ['next tick before it', 95, { fromMinute: 100, late: false }],
    ['next tick at it', 100, { fromMinute: 100, late: false }],
    ['minute 100 already forecast: from the next tick, late', 103, { fromMinute: 103, late: true }],
  ])('%s', (_label, next, want) => {
    expect(appliedFrom({ effectiveFromMinute: 100 }, next)).toEqual(want);
  });
});

describe('combinerVersionProblem', () => {
  it('accepts a well-formed version', () => {
    expect(combinerVersionProblem(version(1, 100))).toBeUndefined();
  });
  it.each([
    ['other features', { featureNames: ['intercept'] }, /featureNames=\["intercept"\] must be/],
    ['hour-of-day flag without its features', { hourOfDay: true }, /featureNames=.* must be .*hour sin/],
    ['wrong band count', { coefficientsByBand: [[]] }, /has 1 rows, must have 3/],
    ['short row', { coefficientsByBand: [[1, 2], [], []] }, /\[0\] has 2 values, must have 0 \(not fitted\) or 12/],
    ['NaN coefficient', { coefficientsByBand: [Array.from({ length: d }, () => Number.NaN), [], []] }, /must be finite/],
    ['negative effective minute', { effectiveFromMinute: -1 }, /effectiveFromMinute=-1 must be an integer >= 0/],
    ['prior 0', { prior: 0 }, /prior=0 must be in \(0, 1\)/],
  ])('rejects %s', (_label, patch, message) => {
    expect(combinerVersionProblem({ ...version(1, 100), ...patch } as CombinerVersion)).toMatch(message);
  });
});

describe('ServedCombiner', () => {
  it('answers with the version effective at min(minute, origin); null in an unfitted band or before every version', () => {
    const s = new ServedCombiner([{ model: version(1, 100, [-2, ...Array.from({ length: d - 1 }, () => 0)]), fromMinute: 100 }, { model: version(2, 200, [1, ...Array.from({ length: d - 1 }, () => 0)]), fromMinute: 200 }]);
    const x = new Float64Array(d);
    x[0] = 1;
    const p1 = 1 / (1 + Math.exp(2));
    const p2 = 1 / (1 + Math.exp(-1));
    expect(s.predict(0, x, 99)).toBeNull();
    expect(s.predict(0, x, 150)).toBeCloseTo(p1, 12);
    expect(s.predict(0, x, 250)).toBeCloseTo(p2, 12);
    expect(s.predict(2, x, 250)).toBeNull();
    s.setOrigin(190); // a forecast made at 190 for 190..309 uses version 1 throughout
    expect(s.predict(0, x, 250)).toBeCloseTo(p1, 12);
    expect(s.predict(0, x, 150)).toBeCloseTo(p1, 12);
  });

  it('refuses versions with different feature layouts', () => {
    const other = { ...version(2, 200), hourOfDay: true, featureNames: featureNames({ hourOfDay: true }) };
    expect(() => new ServedCombiner([{ model: version(1, 100), fromMinute: 100 }, { model: other, fromMinute: 200 }])).toThrow(/features\/bands differ/);
    expect(() => new ServedCombiner([])).toThrow(RangeError);
  });
});

describe('trainCombiner', () => {
  const from = 29_000_040; // epoch minutes (2025), a multiple of 60
  const through = from + 6 * 60 - 1;

  it('fits hourly and once at the end; the version carries window, features and defaults', () => {
    const t = trainCombiner({ series: hourlyTimers(6, from, through), fromMinute: from, throughMinute: through });
    expect(t.fits).toBe(6); // refits at from+60 .. from+300, then the final one
    expect(t.model).toMatchObject({ version: through, trainedThroughMinute: through, effectiveFromMinute: through + 1, featureNames: featureNames(), bands: true, hourOfDay: false, prior: SERVING_PRIOR, users: 6 });
    expect(combinerVersionProblem(t.model)).toBeUndefined();
    expect(t.model.coefficientsByBand.some((r) => r.length === d)).toBe(true);
    // a user's model starts at its first request: user 0 at from + 7
    expect(t.model.rowsByBand[1]).toBeGreaterThan(100);
    expect(t.observations).toBe(hourlyTimers(6, from, through).reduce((s, u) => s + (through - (u.minutes[0] ?? 0) + 1), 0));
  });

  it('is the same fit as a GlobalCombiner fed the same minutes (no second copy): served fixed, it gives the trained combiner\'s answers', () => {
    const series = hourlyTimers(4, from, through);
    const t = trainCombiner({ series, fromMinute: from, throughMinute: through });
    // the reference: the replay's objects driven by hand, refitted at the same minutes
    const g = new GlobalCombiner();
    const served = new ServedCombiner([{ model: t.model, fromMinute: t.model.effectiveFromMinute }]);
    const ref = series.map((_, id) => new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id, combiner: g }));
    const srv = series.map((_, id) => new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id, combiner: served }));
    for (let m = from; m <= through; m++) {
      if (m > from && m % 60 === 0) g.refit();
      series.forEach((s, u) => {
        if (m < (s.minutes[0] ?? Infinity)) return;
        const busy = Array.prototype.includes.call(s.minutes, m);
        const o = { minute: m, count: busy ? 1 : 0, instances: busy ? 1 : 0 };
        ref[u]?.observe(o);
        srv[u]?.observe(o);
      });
    }
    g.refit();
    expect(g.coefficients.map((b) => Array.from(b ?? []))).toEqual(t.model.coefficientsByBand);
    expect(t.model.coefficientsByBand[1]).toHaveLength(d); // fitted, so the comparison below is of the regression, not the hazard fallback
    for (let u = 0; u < 4; u++) {
      for (let k = 1; k <= 60; k++) expect(srv[u]?.pAny(through + k)).toBe(ref[u]?.pAny(through + k));
      // learned: high at the user's next firing minute, low a quarter of an hour later
      const fire = through + 1 + 7 + 3 * u;
      expect(srv[u]?.pAny(fire)).toBeGreaterThan(0.5);
      expect(srv[u]?.pAny(fire + 15)).toBeLessThan(0.1);
    }
  });

  it('before effectiveFromMinute the served candidate is the idle-time hazard, so a selector with it chooses as without it', () => {
    const t = trainCombiner({ series: hourlyTimers(4, from, through), fromMinute: from, throughMinute: through });
    const later = through + 1000;
    const served = new ServedCombiner([{ model: t.model, fromMinute: later }]);
    const plain = new ModelSelector({ prior: SERVING_PRIOR, startMinuteOfDay: 0 });
    const cm = new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id: 0, combiner: served });
    const withIt = new ModelSelector({ prior: SERVING_PRIOR, startMinuteOfDay: 0, extra: [cm] });
    for (let m = from; m < from + 400; m++) {
      const o = { minute: m, count: m % 60 === 7 || m % 7 === 0 ? 1 : 0, instances: 1 };
      withIt.observe(o);
      plain.observe(o);
      expect(cm.pAny(m + 1)).toBe((cm.selector.candidates[0] as IdleHazardModel).pAny(m + 1));
      expect(withIt.chosen.name).toBe(plain.chosen.name);
      expect(withIt.pAny(m + 1)).toBe(plain.pAny(m + 1));
    }
  });

  it('refuses an empty or reversed window', () => {
    expect(() => trainCombiner({ series: [], fromMinute: 10, throughMinute: 9 })).toThrow(/fromMinute <= throughMinute/);
  });
});

describe('CombinedModel shared with its selector', () => {
  it('answers exactly as one with its own copy of the candidates (features, choice, selector answers)', () => {
    const from = 29_000_040;
    const t = trainCombiner({ series: hourlyTimers(4, from, from + 359), fromMinute: from, throughMinute: from + 359 });
    // every answer of the regression, in call order: including the ones the selector scores
    // inside observe (the features of the minute being observed, before the candidates learn it)
    const recorded = (calls: string[]): ServedCombiner => {
      const c = new ServedCombiner([{ model: t.model, fromMinute: from + 120 }]);
      const predict = c.predict.bind(c);
      c.predict = (band, x, minute) => {
        const p = predict(band, x, minute);
        calls.push(`${minute}:${p}`);
        return p;
      };
      return c;
    };
    let chosenCombiner = 0;
    let differentChoice = 0;
    for (let pattern = 0; pattern < 6; pattern++) {
      const ownCalls: string[] = [];
      const sharedCalls: string[] = [];
      const own = new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id: 0, combiner: recorded(ownCalls) });
      const selOwn = new ModelSelector({ prior: SERVING_PRIOR, startMinuteOfDay: 0, extra: [own] });
      const shared = new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id: 0, combiner: recorded(sharedCalls), shared: true });
      const selShared = new ModelSelector({ prior: SERVING_PRIOR, startMinuteOfDay: 0, extra: [shared] });
      shared.attach(selShared);
      let seed = 7 + pattern;
      for (let m = from; m < from + 600; m++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const busy = m % (10 + 5 * pattern) === 7 || seed % (5 + 4 * pattern) === 0 || (pattern % 2 === 1 && m % 60 < 5);
        const o = { minute: m, count: busy ? 1 + (seed % 3) : 0, instances: busy ? 1 : 0 };
        selOwn.observe(o);
        selShared.observe(o);
        for (let k = 1; k <= 30; k += 7) {
          expect(shared.pAny(m + k)).toBe(own.pAny(m + k));
          expect(selShared.pAny(m + k)).toBe(selOwn.pAny(m + k));
        }
        if (selShared.chosen.name !== selOwn.chosen.name) differentChoice++;
        if (selShared.chosen.name === 'combiner') chosenCombiner++;
      }
      expect(sharedCalls).toEqual(ownCalls);
    }
    expect(differentChoice).toBe(0);
    expect(chosenCombiner).toBeGreaterThan(0); // the comparison covers minutes where the combiner answers
  });

  it('refuses to be used before attach, or attached twice', () => {
    const served = new ServedCombiner([{ model: version(1, 100), fromMinute: 100 }]);
    const m = new CombinedModel({ prior: SERVING_PRIOR, startMinuteOfDay: 0, id: 0, combiner: served, shared: true });
    expect(() => m.pAny(5)).toThrow(/before attach/);
    const sel = new ModelSelector({ prior: SERVING_PRIOR, startMinuteOfDay: 0, extra: [m] });
    m.attach(sel);
    expect(() => m.attach(sel)).toThrow(/once/);
  });
});
