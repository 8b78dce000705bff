import { describe, expect, it } from 'vitest';
import { InputStore } from '../src/input-store.ts';
import { MIN, T0, demand, status } from './core/fixtures.ts';

describe('InputStore', () => {
  it('a window is complete when every configured horizon arrived; the newest per horizon wins', () => {
    const s = new InputStore([5, 15], 10 * MIN);
    expect(s.addDemand(demand('python3.12/M', 5, 3, T0).demand, 'r1').complete).toBe(false);
    expect(s.addDemand(demand('node22/M', 15, 3, T0).demand, 'r2').complete).toBe(false);
    expect(s.addDemand(demand('python3.12/M', 15, 4, T0).demand, 'r3').complete).toBe(true);
    // A late record of an older window does not replace the newer one.
    s.addDemand(demand('python3.12/M', 5, 9, T0 + MIN).demand, 'r4');
    expect(s.addDemand(demand('python3.12/M', 5, 1, T0).demand, 'r5').stale).toBe(true);
    const snap = s.snapshot([]);
    expect(snap.demand.map((d) => [d.ref, d.demand.upperBound])).toEqual([['r4', 9], ['r2', 3], ['r3', 4]]);
    expect(s.eventNow).toBe(T0 + MIN);
  });

  it('a status counts as a change only when its counts differ; older ones are ignored', () => {
    const s = new InputStore([5], 10 * MIN);
    expect(s.addStatus(status('p/M', { idle: 2 }, T0))).toBe(true);
    expect(s.addStatus(status('p/M', { idle: 2 }, T0 + 1000))).toBe(false);
    expect(s.addStatus(status('p/M', { idle: 3 }, T0 - 1000))).toBe(false);
    expect(s.addStatus(status('p/M', { idle: 1, active: 1 }, T0 + 2000))).toBe(true);
    expect(s.snapshot([]).poolStatus.map((p) => p.idle)).toEqual([1]);
  });

  it('hands each command result over once, and back when the decision could not be published', () => {
    const s = new InputStore([5], 10 * MIN);
    const r = { commandId: 'c1', poolId: 'p/M', status: 'APPLIED' as const, adapter: 'a', appliedAt: T0, error: null };
    s.addResult(r);
    const first = s.snapshot([]);
    expect(first.results).toEqual([r]);
    expect(s.snapshot([]).results).toEqual([]);
    s.restoreResults(first.results);
    expect(s.snapshot([]).results).toEqual([r]);
    expect(s.snapshot([]).forecasterFailed).toBe(false);
    s.forecasterFailed = true;
    expect(s.snapshot([]).forecasterFailed).toBe(true);
  });
});
