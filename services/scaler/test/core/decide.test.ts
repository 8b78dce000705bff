// Scenario tests with explicit event times (issue 5): spike met one lead time ahead, no
// oscillation under flapping demand, scale-in waits, reservations honoured, queue by priority.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/core/decide.ts';
import { INITIAL_STATE } from '../../src/core/state.ts';
import { FakeAdapter, MIN, T0, demand, input, policy, run, status } from './fixtures.ts';
import type { DemandRef } from '../../src/core/inputs.ts';

const CFG = 'python3.12/M';

/** Perfect forecasts of a known future: the upper bound over (W, W + h] of `truth`. */
function perfect(truth: (t: number) => number, windowEnd: number, horizons: readonly number[] = [5, 15, 30, 120]): DemandRef[] {
  return horizons.map((h) => {
    let max = 0;
    for (let t = windowEnd + MIN; t <= windowEnd + h * MIN; t += MIN) max = Math.max(max, truth(t));
    return demand(CFG, h, max, windowEnd);
  });
}

describe('a predicted spike', () => {
  it('is met by launches one lead time before it, sized from the upper bound plus buffer', () => {
    // Lead = 4 min boot + 1 min margin = 5 min = the 5-minute horizon. Demand 2 until 09:30, 20 from 09:30.
    const p = policy({ bootMs: 4 * MIN, marginMs: MIN });
    const SPIKE = T0 + 30 * MIN;
    const truth = (t: number): number => (t >= SPIKE ? 20 : 2);
    const steps = Array.from({ length: 31 }, (_, i) => ({ now: T0 + i * MIN, demand: perfect(truth, T0 + i * MIN) }));
    const { decisions } = run(p, steps);
    const launches = decisions.flatMap(({ now, d }) => d.commands.filter((c) => c.kind === 'LAUNCH').map((c) => ({ now, c })));
    // 09:00: the base level (ceil(2 * 1.1) = 3); then nothing until 09:25 = spike - lead.
    expect(launches.map((l) => [l.now, l.c.count])).toEqual([[T0, 3], [SPIKE - 5 * MIN, 22 - 3]]);
    const spike = launches[1]?.c;
    expect(spike?.reason.rule).toBe('proactive-scale-out');
    expect(spike?.reason.bound).toBe(20);
    expect(spike?.reason.forecastRef).toBe(`demand.pool.aggregated.v1/0/${(SPIKE - 5 * MIN) / MIN}-5`);
    expect(spike?.reason.text).toContain('ready by 2026-11-23T09:30:00.000Z');
    expect(spike?.dryRun).toBe(false);
    expect(spike?.issuedAt).toBe(SPIKE - 5 * MIN);
  });

  it('uses the smallest horizon that covers the lead time', () => {
    // Lead 6 min: the 5-minute forecast is too short, so the 15-minute one sizes the pool.
    const p = policy({ bootMs: 5 * MIN, marginMs: MIN });
    const d = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 4, T0), demand(CFG, 15, 9, T0), demand(CFG, 30, 30, T0)] }), T0);
    expect(d.commands.map((c) => c.count)).toEqual([10]); // ceil(9 * 1.1)
  });
});

describe('flapping demand', () => {
  it('causes no oscillation: one scale-out, no scale-in while the drop never holds', () => {
    const p = policy();
    // Forecast alternates 10 / 2 every minute for 40 minutes; the busy VMs follow it.
    const steps = Array.from({ length: 40 }, (_, i) => {
      const high = i % 2 === 0;
      return { now: T0 + i * MIN, demand: [5, 15, 30, 120].map((h) => demand(CFG, h, high ? 10 : 2, T0 + i * MIN)), busy: { [CFG]: high ? 10 : 2 } };
    });
    const { decisions, adapter } = run(p, steps);
    const cmds = decisions.flatMap((x) => x.d.commands);
    expect(cmds.filter((c) => c.kind === 'TERMINATE')).toEqual([]);
    expect(cmds.filter((c) => c.kind === 'LAUNCH').map((c) => c.count)).toEqual([11]);
    expect(adapter.vms.get(CFG)).toBe(11);
  });
});

describe('scale-in', () => {
  const p = policy({ scaleIn: { stabilizationMs: 5 * MIN, graceMs: 10 * MIN } });

  it('waits for the stabilization window of observed idle VMs, then terminates idle ones only', () => {
    const a = new FakeAdapter();
    a.vms.set(CFG, 10);
    // Scaled out long ago; demand drops to 2 at 09:00 and 8 VMs sit idle from then on.
    const steps = Array.from({ length: 7 }, (_, i) => ({ now: T0 + i * MIN, demand: [demand(CFG, 5, 2, T0 + i * MIN)], busy: { [CFG]: 2 } }));
    const { decisions } = run(p, steps, a);
    const byMinute = decisions.map(({ d }) => d.commands.map((c) => `${c.kind}:${c.count}`));
    // 09:00-09:04: holding; 09:05 (5 min of surplus): terminate 10 - ceil(2 * 1.1) = 7.
    expect(byMinute).toEqual([[], [], [], [], [], ['TERMINATE:7'], []]);
    const t = decisions[5]?.d.commands[0];
    expect(t?.reason.rule).toBe('scale-in-observed');
    expect(t?.reason.text).toContain('held for 300s');
  });

  it('waits for the grace period after a scale-out even when the drop is stable', () => {
    // 09:00 demand 10 -> launch 11; from 09:01 demand 2 and only 2 busy: stable drop at 09:06,
    // but the grace period after the 09:00 scale-out runs to 09:10.
    const steps = Array.from({ length: 12 }, (_, i) => ({ now: T0 + i * MIN, demand: [demand(CFG, 5, i === 0 ? 10 : 2, T0 + i * MIN)], busy: { [CFG]: 2 } }));
    const { decisions } = run(p, steps);
    const terminates = decisions.flatMap(({ now, d }) => d.commands.filter((c) => c.kind === 'TERMINATE').map((c) => [now, c.count]));
    expect(terminates).toEqual([[T0 + 10 * MIN, 8]]);
    const held = decisions[6]?.d.notes.find((n) => n.poolId === CFG);
    expect(held?.detail).toContain('grace after scale-out');
  });

  it('never terminates on a predicted drop alone by default', () => {
    const a = new FakeAdapter();
    a.vms.set(CFG, 10);
    // Forecast says 1, but every VM is busy: nothing is idle, nothing is terminated.
    const steps = Array.from({ length: 20 }, (_, i) => ({ now: T0 + i * MIN, demand: [demand(CFG, 5, 1, T0 + i * MIN)], busy: { [CFG]: 10 } }));
    const { decisions } = run(p, steps, a);
    expect(decisions.flatMap((x) => x.d.commands)).toEqual([]);
  });

  it('terminates on a predicted drop when scaleIn.onPrediction is on (after the same window)', () => {
    const a = new FakeAdapter();
    a.vms.set(CFG, 10);
    const q = policy({ scaleIn: { onPrediction: true, stabilizationMs: 5 * MIN } });
    const steps = Array.from({ length: 6 }, (_, i) => ({ now: T0 + i * MIN, demand: [demand(CFG, 5, 1, T0 + i * MIN)], busy: { [CFG]: 10 } }));
    const { decisions } = run(q, steps, a);
    expect(decisions.flatMap((x) => x.d.commands).map((c) => [c.kind, c.count, c.reason.rule])).toEqual([['TERMINATE', 8, 'scale-in-predicted']]);
  });
});

describe('a reservation', () => {
  it('is ready by `from` minus the lead time and is not scaled in before `to`', () => {
    const p = policy({ scaleIn: { stabilizationMs: 5 * MIN, graceMs: 0 } });
    const FROM = T0 + 60 * MIN;
    const TO = T0 + 120 * MIN;
    const reservations = [{ reservationId: 'r-1', poolId: CFG, count: 6, fromMs: FROM, toMs: TO, owner: 'team-ml' }];
    // No demand at all; the booking alone drives the pool. Lead = 60 s.
    const minutes = Array.from({ length: 140 }, (_, i) => T0 + i * MIN);
    const { decisions } = run(p, minutes.map((now) => ({ now, demand: [demand(CFG, 5, 0, now)], extra: { reservations } })));
    const cmds = decisions.flatMap(({ now, d }) => d.commands.map((c) => ({ now, c })));
    expect(cmds.map(({ now, c }) => [(now - T0) / MIN, c.kind, c.count])).toEqual([[59, 'LAUNCH', 6], [125, 'TERMINATE', 6]]);
    expect(cmds[0]?.c.reason.rule).toBe('reservation');
    expect(cmds[0]?.c.reason.forecastRef).toBe('reservation:r-1');
    expect(cmds[0]?.c.reason.text).toContain('team-ml');
  });
});

describe('capacity shortage', () => {
  it('orders launch needs by priority, then age; what does not fit waits', () => {
    const p = policy({}, { 'python3.12/S': { priority: 1 }, 'node22/M': { priority: 5 }, 'go1.23/M': { priority: 5 } }, { maxTotalInstances: 10 });
    const a = new FakeAdapter();
    a.vms.set('python3.12/S', 4);
    // 09:00: node22/M needs 4 (prio 5) and python3.12/S needs 3 more (prio 1): 6 free.
    const first = decide(p, INITIAL_STATE, input({
      demand: [demand('python3.12/S', 5, 6.3, T0), demand('node22/M', 5, 3.6, T0)],
      poolStatus: a.statuses({ 'python3.12/S': 4 }, T0),
    }), T0);
    expect(first.commands.map((c) => [c.poolId, c.count])).toEqual([['node22/M', 4], ['python3.12/S', 2]]);
    a.apply(first.commands, T0);
    // 09:01: go1.23/M (prio 5, new) needs 3; 0 free: both wait; python's need is older but lower priority.
    const second = decide(p, first.state, input({
      demand: [demand('python3.12/S', 5, 6.3, T0 + MIN), demand('node22/M', 5, 3.6, T0 + MIN), demand('go1.23/M', 5, 2.7, T0 + MIN)],
      poolStatus: a.statuses({}, T0 + MIN), results: a.takeResults(),
    }), T0 + MIN);
    expect(second.commands).toEqual([]);
    const waits = second.notes.filter((n) => n.action === 'wait').map((n) => [n.poolId, n.detail.split(':')[0]]);
    expect(waits).toEqual([['go1.23/M', 'queue #1 priority 5 waiting since 1795424460000'], ['python3.12/S', 'queue #2 priority 1 waiting since 1795424400000']]);
    // 09:02: node22/M's demand is gone and its 4 idle VMs are terminated elsewhere: 4 free -> go first (3), python gets 1.
    a.vms.set('node22/M', 0);
    const third = decide(p, second.state, input({
      demand: [demand('python3.12/S', 5, 6.3, T0 + 2 * MIN), demand('go1.23/M', 5, 2.7, T0 + 2 * MIN)],
      poolStatus: a.statuses({}, T0 + 2 * MIN), results: a.takeResults(),
    }), T0 + 2 * MIN);
    expect(third.commands.map((c) => [c.poolId, c.count])).toEqual([['go1.23/M', 3], ['python3.12/S', 1]]);
  });
});

describe('scale-out cooldown', () => {
  it('a second rise within scaleOutCooldownMs waits; after it the delta is launched', () => {
    const p = policy({ scaleOutCooldownMs: 30_000 });
    const a = new FakeAdapter();
    const steps = [0, 10_000, 29_999, 30_000].map((dt, i) => ({ now: T0 + dt, demand: [demand(CFG, 5, i === 0 ? 5 : 10, T0 + dt)] }));
    const { decisions } = run(p, steps, a);
    expect(decisions.map(({ d }) => d.commands.map((c) => c.count))).toEqual([[6], [], [], [5]]);
    expect(decisions[1]?.d.notes.find((n) => n.poolId === CFG)?.action).toBe('cooldown');
  });
});

describe('status', () => {
  it('in-flight launches count until the status shows them (no double launch)', () => {
    const p = policy({ scaleOutCooldownMs: 0 });
    const one = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)] }), T0);
    expect(one.commands.map((c) => c.count)).toEqual([11]);
    // 30 s later the adapter has not reported yet: nothing new.
    const two = decide(p, one.state, input({ demand: [demand(CFG, 5, 10, T0)], poolStatus: [status(CFG, {}, T0 - 1000)] }), T0 + 30_000);
    expect(two.commands).toEqual([]);
    // The adapter failed it: the need is launched again.
    const failed = { commandId: one.commands[0]?.commandId ?? '', poolId: CFG, status: 'FAILED' as const, adapter: 'fake', appliedAt: T0 + 31_000, error: 'boom' };
    const three = decide(p, two.state, input({ demand: [demand(CFG, 5, 10, T0)], results: [failed] }), T0 + 40_000);
    expect(three.commands.map((c) => c.count)).toEqual([11]);
  });
});
