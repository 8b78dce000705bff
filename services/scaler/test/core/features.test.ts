// Table and scenario tests for the rules beyond the six scenarios.
import { describe, expect, it } from 'vitest';
import type { Anomaly, ClusterLoad } from '@warmcast/kit';
import { decide } from '../../src/core/decide.ts';
import { INITIAL_STATE } from '../../src/core/state.ts';
import type { ClusterRef } from '../../src/core/inputs.ts';
import { MIN, T0, demand, input, policy, status } from './fixtures.ts';

const CFG = 'python3.12/M';

function cluster(memoryMbMean: number, cpuCoresMean: number, horizonMinutes = 5, memoryMbVariance = 0): ClusterRef {
  const load: ClusterLoad = { cluster: 'main', horizonMinutes, cpuCoresMean, cpuCoresVariance: 0, cpuCoresUpper: cpuCoresMean, memoryMbMean, memoryMbVariance, memoryMbUpper: memoryMbMean, confidence: 0.9, userCount: 10, windowStart: T0 - MIN, windowEnd: T0 };
  return { load, ref: `demand.cluster.aggregated.v1/0/${horizonMinutes}` };
}

describe('vertical resize of a variable pool (default threshold 20 %)', () => {
  // 10 expected instances (mean 0.7 * upper): per-VM memory = cluster memory / 10.
  const base = { demand: [demand(CFG, 5, 10 / 0.7, T0)], poolStatus: [status('python3.12/var', { idle: 3 }, T0), status(CFG, { idle: 11 }, T0)] };
  it.each([
    ['+25 % memory -> RESIZE to 1280 MiB', 12_800, 10, [['RESIZE', 1, 1280]]],
    ['+10 % memory -> nothing', 11_264, 10, []],
    ['-30 % memory -> RESIZE down to 768 MiB', 7_168, 10, [['RESIZE', 1, 768]]],
    ['+50 % CPU, memory equal -> RESIZE CPU to 1.5', 10_240, 15, [['RESIZE', 1.5, 1024]]],
  ] as const)('%s', (_name, mem, cpu, expected) => {
    const d = decide(policy(), INITIAL_STATE, input({ ...base, clusterLoad: [cluster(mem, cpu)] }), T0);
    const resizes = d.commands.filter((c) => c.kind === 'RESIZE');
    expect(resizes.map((c) => [c.kind, c.cpuCores, c.memoryMb])).toEqual(expected);
    for (const c of resizes) {
      expect(c.poolId).toBe('python3.12/var');
      expect(c.vmId).toBeNull();
      expect(c.reason.rule).toBe('vertical-resize');
      expect(c.reason.forecastRef).toBe('demand.cluster.aggregated.v1/0/5');
    }
  });

  it('does not resize again once the allocation matches', () => {
    const i = input({ ...base, clusterLoad: [cluster(12_800, 10)] });
    const one = decide(policy(), INITIAL_STATE, i, T0);
    const two = decide(policy(), one.state, i, T0 + MIN);
    expect(one.commands.filter((c) => c.kind === 'RESIZE')).toHaveLength(1);
    expect(two.commands.filter((c) => c.kind === 'RESIZE')).toEqual([]);
  });
});

describe('cost awareness', () => {
  it('fills paid reserved capacity first, spot above the lower bound, on-demand for the rest', () => {
    // target ceil(10 * 1.1) = 11, lower bound 5: reserved 3, spot 11 - 5 = 6, on-demand 2.
    const p = policy({ cost: { reservedInstances: 3, spotEnabled: true, spotInterruptionRisk: 0.05, spotMaxRisk: 0.1 } });
    const d = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)] }), T0);
    expect(d.commands.map((c) => [c.poolId, c.count])).toEqual([[`${CFG}/reserved`, 3], [`${CFG}/spot`, 6], [CFG, 2]]);
  });

  it('uses no spot when the interruption risk exceeds the policy', () => {
    const p = policy({ cost: { reservedInstances: 0, spotEnabled: true, spotInterruptionRisk: 0.3, spotMaxRisk: 0.1 } });
    const d = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)] }), T0);
    expect(d.commands.map((c) => [c.poolId, c.count])).toEqual([[CFG, 11]]);
  });

  it('terminates on-demand VMs before spot and reserved ones', () => {
    const p = policy({ scaleIn: { stabilizationMs: 0, graceMs: 0 }, cost: { reservedInstances: 3, spotEnabled: true, spotInterruptionRisk: 0, spotMaxRisk: 0.1 } });
    const st = [status(CFG, { idle: 2 }, T0), status(`${CFG}/spot`, { idle: 4 }, T0), status(`${CFG}/reserved`, { idle: 3 }, T0)];
    const d = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 2, T0)], poolStatus: st }), T0);
    expect(d.commands.map((c) => [c.kind, c.poolId, c.count])).toEqual([['TERMINATE', CFG, 2], ['TERMINATE', `${CFG}/spot`, 4]]);
  });
});

describe('max capacity', () => {
  it.each([
    ['honour', 20, 20],
    ['raise', 20, 24],
  ] as const)('breach %s with max %i caps a target of 33 at %i', (breach, maxInstances, expected) => {
    const d = decide(policy({ maxInstances, breach, breachBufferPct: 20 }), INITIAL_STATE, input({ demand: [demand(CFG, 5, 30, T0)] }), T0);
    expect(d.commands.map((c) => c.count)).toEqual([expected]);
    expect(d.commands[0]?.reason.text).toContain(`capped at ${expected}`);
  });

  it('respects the adapter-reported capacity of a pool', () => {
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 30, T0)], poolStatus: [status(CFG, { idle: 2, capacity: 10 }, T0)] }), T0);
    expect(d.commands.map((c) => c.count)).toEqual([8]);
  });
});

describe('the shared cap (global.maxTotalInstances)', () => {
  it('counts launches the adapters have not reported yet', () => {
    const p = policy({}, {}, { maxTotalInstances: 10 });
    const one = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 9, T0)] }), T0);
    expect(one.commands.map((c) => c.count)).toEqual([10]);
    // No status yet for python3.12/M: its 10 are in flight and the cap is full.
    const two = decide(p, one.state, input({ demand: [demand(CFG, 5, 9, T0), demand('node22/S', 5, 4, T0 + MIN)] }), T0 + MIN);
    expect(two.commands).toEqual([]);
    expect(two.notes.find((n) => n.poolId === 'node22/S')?.action).toBe('wait');
  });
});

describe('reservations', () => {
  it('a booking may name a pool of the configuration (python3.12/M/reserved)', () => {
    const reservations = [{ reservationId: 'r-9', poolId: `${CFG}/reserved`, count: 4, fromMs: T0, toMs: T0 + 60 * MIN, owner: 'ci' }];
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 0, T0)], reservations }), T0);
    expect(d.commands.map((c) => [c.count, c.reason.rule])).toEqual([[4, 'reservation']]);
  });
});

describe('modes, pause and fallback', () => {
  it('forecast-only emits the same command with dryRun: true; off and paused emit nothing', () => {
    const i = input({ demand: [demand(CFG, 5, 10, T0)] });
    expect(decide(policy({ mode: 'forecast-only' }), INITIAL_STATE, i, T0).commands.map((c) => [c.count, c.dryRun])).toEqual([[11, true]]);
    expect(decide(policy({ mode: 'off' }), INITIAL_STATE, i, T0).commands).toEqual([]);
    // Forecast-only publishes it once per pendingTtlMs (5 min), not after every cooldown.
    const ff = policy({ mode: 'forecast-only' });
    const first = decide(ff, INITIAL_STATE, i, T0);
    const dryResult = [{ commandId: first.commands[0]?.commandId ?? '', poolId: CFG, status: 'DRY_RUN' as const, adapter: 'fake', appliedAt: T0, error: null }];
    const again = decide(ff, first.state, input({ demand: [demand(CFG, 5, 10, T0 + MIN)], poolStatus: [status(CFG, {}, T0 + MIN)], results: dryResult }), T0 + MIN);
    expect(again.commands).toEqual([]);
    const grown = decide(ff, again.state, input({ demand: [demand(CFG, 5, 20, T0 + 2 * MIN)], poolStatus: [status(CFG, {}, T0 + 2 * MIN)] }), T0 + 2 * MIN);
    expect(grown.commands.map((c) => [c.count, c.dryRun])).toEqual([[11, true]]);
    const later = decide(ff, grown.state, input({ demand: [demand(CFG, 5, 20, T0 + 8 * MIN)], poolStatus: [status(CFG, {}, T0 + 8 * MIN)] }), T0 + 8 * MIN);
    expect(later.commands.map((c) => [c.count, c.dryRun])).toEqual([[22, true]]);
    expect(decide(policy({}, { [CFG]: { paused: true } }), INITIAL_STATE, i, T0).commands).toEqual([]);
    expect(decide(policy({ mode: 'off' }, { [CFG]: { mode: 'enforce' } }), INITIAL_STATE, i, T0).commands.map((c) => c.count)).toEqual([11]);
  });

  it('falls back to fallbackInstances when demand is stale, history short, or the forecaster failed', () => {
    const p = policy({ fallbackInstances: 4, staleAfterMs: 10 * MIN, minHistoryMs: 30 * MIN });
    const stale = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 50, T0 - 11 * MIN)] }), T0);
    expect(stale.commands.map((c) => [c.count, c.reason.rule])).toEqual([[4, 'fallback-stale']]);
    expect(stale.commands[0]?.reason.text).toContain('demand stale');
    const young = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 50, T0)] }), T0);
    expect(young.commands[0]?.reason.text).toContain('history 0s < minHistory 1800s');
    // After 30 minutes of history the forecast is trusted.
    const later = decide(p, young.state, input({ demand: [demand(CFG, 5, 50, T0 + 30 * MIN)], poolStatus: [status(CFG, { idle: 4 }, T0 + 30 * MIN)] }), T0 + 30 * MIN);
    expect(later.commands.map((c) => [c.count, c.reason.rule])).toEqual([[51, 'proactive-scale-out']]);
    const failed = decide(policy({ fallbackInstances: 4 }), INITIAL_STATE, input({ demand: [demand(CFG, 5, 50, T0)], forecasterFailed: true }), T0);
    expect(failed.commands[0]?.reason.text).toContain('forecaster failed: fallback capacity 4');
  });
});

describe('scheduled override windows', () => {
  const p = policy({}, { [CFG]: { schedules: [{ cron: '0 9 * * 1-5', durationMs: 8 * 60 * MIN, minInstances: 5 }] } });
  it.each([
    ['Monday 09:00 (window opens)', 5, T0],
    ['Monday 16:59 (still open)', 5, T0 + (8 * 60 - 1) * MIN],
    ['Monday 17:00 (closed)', 0, T0 + 8 * 60 * MIN],
    ['Monday 08:59 (not yet)', 0, T0 - MIN],
    ['Saturday 10:00 (not a weekday)', 0, Date.UTC(2026, 10, 28, 10, 0)],
  ])('%s -> min %i', (_n, expected, now) => {
    const d = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 0, now)] }), now);
    expect(d.commands.reduce((s, c) => s + (c.count ?? 0), 0)).toBe(expected);
    if (expected > 0) expect(d.commands[0]?.reason.rule).toBe('scheduled-override');
  });
});

describe('anomalies', () => {
  const anomaly = (severity: Anomaly['severity'], observed: number): Anomaly => ({
    anomalyId: 'a-1', subjectKind: 'POOL', subjectId: CFG, metric: 'concurrent_instances', observed, expectedLower: 2, expectedUpper: 6, severity, forecastRef: 'demand.pool.aggregated.v1/0/77', windowStart: T0 - MIN, detectedAt: T0,
  });
  it('a CRITICAL anomaly above the upper bound scales out at once, even in the scale-out cooldown', () => {
    const p = policy();
    const one = decide(p, INITIAL_STATE, input({ demand: [demand(CFG, 5, 6, T0)] }), T0);
    expect(one.commands.map((c) => c.count)).toEqual([7]);
    // The launch was applied at +5 s and the status at +10 s shows it: 7 running, none in flight.
    const results = [{ commandId: one.commands[0]?.commandId ?? '', poolId: CFG, status: 'APPLIED' as const, adapter: 'fake', appliedAt: T0 + 5_000, error: null }];
    const st = [status(CFG, { active: 7 }, T0 + 10_000)];
    const two = decide(p, one.state, input({ demand: [demand(CFG, 5, 6, T0)], poolStatus: st, results, anomalies: [anomaly('CRITICAL', 15)] }), T0 + 10_000);
    // ceil(15 observed * 1.1) = 17 - 7 = 10 more.
    expect(two.commands.map((c) => [c.count, c.reason.rule, c.reason.bound, c.reason.forecastRef])).toEqual([[10, 'anomaly-corrective', 6, 'demand.pool.aggregated.v1/0/77']]);
    // Without the anomaly the cooldown holds the same decision back.
    const quiet = decide(p, one.state, input({ demand: [demand(CFG, 5, 6, T0)], poolStatus: st, results }), T0 + 10_000);
    expect(quiet.commands).toEqual([]);
  });
  it('a WARNING anomaly changes nothing', () => {
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 6, T0)], poolStatus: [status(CFG, { active: 7 }, T0)], anomalies: [anomaly('WARNING', 15)] }), T0);
    expect(d.commands).toEqual([]);
  });
});

describe('per-user sub-pools', () => {
  const user = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  it('preloads a heavy user\'s software into its sub-pool and shrinks the shared pool by as much', () => {
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)], heavyUsers: [{ userKey: user, config: CFG, share: 0.4, profile: 'user:a1b2c3d4e5f6@python3.12' }] }), T0);
    // target 11; sub-pool ceil(0.4 * 11) = 5; the shared pool gets 6.
    expect(d.commands.map((c) => [c.kind, c.poolId, c.count, c.preloadProfile])).toEqual([
      ['PRELOAD', `${CFG}/user/a1b2c3d4e5f6`, 5, 'user:a1b2c3d4e5f6@python3.12'],
      ['LAUNCH', CFG, 6, null],
    ]);
    expect(d.commands[0]?.reason.rule).toBe('heavy-user-preload');
  });
  it('shrinks a sub-pool whose user is no longer heavy, after the stabilization window, idle VMs only', () => {
    const p = policy({ scaleIn: { stabilizationMs: 5 * MIN, graceMs: 0 } });
    const sub = `${CFG}/user/a1b2c3d4e5f6`;
    const at = (m: number): number[] => {
      const d = decide(p, state, input({ demand: [demand(CFG, 5, 10, T0 + m * MIN)], poolStatus: [status(CFG, { idle: 11 }, T0 + m * MIN), status(sub, { active: 1, idle: 4 }, T0 + m * MIN)] }), T0 + m * MIN);
      state = d.state;
      return d.commands.filter((c) => c.poolId === sub).map((c) => c.count ?? 0);
    };
    let state = INITIAL_STATE;
    expect([0, 1, 2, 3, 4].map(at)).toEqual([[], [], [], [], []]);
    expect(at(5)).toEqual([4]); // the busy VM stays
  });

  it('a user key that is not hex (so cannot name a pool) gets no sub-pool', () => {
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)], heavyUsers: [{ userKey: 'u:9f86d081xyz', config: CFG, share: 0.5, profile: 'p' }] }), T0);
    expect(d.commands.map((c) => [c.kind, c.count])).toEqual([['LAUNCH', 11]]);
  });

  it('a user below the share threshold gets no sub-pool', () => {
    const d = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 10, T0)], heavyUsers: [{ userKey: user, config: CFG, share: 0.2, profile: 'p' }] }), T0);
    expect(d.commands.map((c) => c.kind)).toEqual(['LAUNCH']);
  });
});

describe('migration between fixed and variable pools', () => {
  const p = policy({}, { 'python3.12/var': { migrate: { enabled: true } } });
  const base = { demand: [demand(CFG, 5, 10 / 0.7, T0)], poolStatus: [status(CFG, { idle: 14 }, T0), status('python3.12/var', { idle: 3 }, T0)] };
  it.each([
    ['CV 1.5 > 1.0: idle fixed VMs move to the variable pool', 1.5, [[CFG, 'python3.12/var', 2, 'migrate-to-variable']]],
    ['CV 0.7: between the thresholds, nothing moves', 0.7, []],
    ['CV 0.2 < 0.5: idle variable VMs move back', 0.2, [['python3.12/var', CFG, 2, 'migrate-to-fixed']]],
  ] as const)('%s', (_n, cv, expected) => {
    const mean = 10_240;
    const d = decide(p, INITIAL_STATE, input({ ...base, clusterLoad: [cluster(mean, 10, 5, (cv * mean) ** 2)] }), T0);
    expect(d.commands.filter((c) => c.kind === 'MIGRATE').map((c) => [c.poolId, c.targetPoolId, c.count, c.reason.rule])).toEqual(expected);
  });
});

describe('idempotency', () => {
  it('the same state and input give the same command ids; the next decision gives new ones', () => {
    const i = input({ demand: [demand(CFG, 5, 10, T0), demand('node22/S', 5, 3, T0)] });
    const a = decide(policy(), INITIAL_STATE, i, T0);
    const b = decide(policy(), INITIAL_STATE, i, T0);
    expect(a.commands.map((c) => c.commandId)).toEqual(b.commands.map((c) => c.commandId));
    expect(new Set(a.commands.map((c) => c.commandId)).size).toBe(2);
    const results = a.commands.map((x) => ({ commandId: x.commandId, poolId: x.poolId, status: 'APPLIED' as const, adapter: 'fake', appliedAt: T0, error: null }));
    const c = decide(policy({ scaleOutCooldownMs: 0 }), a.state, input({ demand: [demand(CFG, 5, 20, T0)], poolStatus: [status(CFG, { idle: 11 }, T0), status('node22/S', { idle: 4 }, T0)], results }), T0);
    expect(c.commands).toHaveLength(1);
    expect(a.commands.map((x) => x.commandId)).not.toContain(c.commands[0]?.commandId);
  });

  it('a restarted scaler (fresh state) re-deciding the same window reproduces the ids; other commands get other ids', () => {
    const i = input({ demand: [demand(CFG, 5, 10, T0)], poolStatus: [status(CFG, { idle: 1 }, T0 - 1000)] });
    const before = decide(policy(), INITIAL_STATE, input({ demand: [demand(CFG, 5, 3, T0 - MIN)] }), T0 - MIN);
    const live = decide(policy(), before.state, i, T0);
    const restarted = decide(policy(), INITIAL_STATE, i, T0);
    expect(restarted.commands.map((c) => c.commandId)).toEqual(live.commands.map((c) => c.commandId));
    expect(live.commands[0]?.commandId).toBe(`sc-${T0.toString(36)}-0-${live.commands[0]?.commandId.slice(-8)}`);
    const other = decide(policy(), INITIAL_STATE, input({ demand: [demand('node22/S', 5, 10, T0)] }), T0);
    expect(other.commands[0]?.commandId).not.toBe(live.commands[0]?.commandId);
  });
});
