// Scenario tests for the simulator with explicit event times. Boot is exactly 2500 ms, preload
// exactly 5000 ms (sigma 0), requests last 1000 ms unless said otherwise.
import { describe, expect, it } from 'vitest';
import { T0, USER_A, USER_B, cmd, req, sim } from './fixtures.ts';

describe('requests: warm hits, cold starts, keep-alive', () => {
  it('a first request is a cold start with the boot latency; the next one, after the boot, is warm', () => {
    const s = sim();
    const first = s.request(req(T0));
    expect(first).toMatchObject({ placement: 'cold', latencyMs: 2500, poolId: 'py/M' });
    const second = s.request(req(T0 + 4000)); // booted at +2500, busy until +3500
    expect(second).toMatchObject({ placement: 'warm', latencyMs: 0, poolId: 'py/M' });
    expect(s.totals()).toMatchObject({ requests: 2, warmHits: 1, coldStarts: 1, coldLatencyMsSum: 2500 });
  });

  it('a request while the only VM is busy launches another VM (cold)', () => {
    const s = sim();
    s.request(req(T0));
    expect(s.request(req(T0 + 3000)).placement).toBe('cold'); // first VM busy +2500..+3500
    expect(s.pool('py/M')?.status).toMatchObject({ warming: 1, active: 1, idle: 0 });
  });

  it('a cold-started VM stays warm keepAliveMs after its last request, then stops', () => {
    const s = sim({ keepAliveMs: 600_000 });
    s.request(req(T0)); // idle from +3500
    expect(s.request(req(T0 + 3500 + 600_000 - 1)).placement).toBe('warm');
    const s2 = sim({ keepAliveMs: 600_000 });
    s2.request(req(T0));
    expect(s2.request(req(T0 + 3500 + 600_000)).placement).toBe('cold'); // expired at exactly +603500
  });

  it('VMs launched by commands outlive the keep-alive until the managed idle limit', () => {
    const s = sim({ keepAliveMs: 60_000, managedIdleLimitMs: 3_600_000 });
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 }));
    expect(s.request(req(T0 + 2500 + 30 * 60_000)).placement).toBe('warm');
    s.advanceTo(T0 + 2500 + 30 * 60_000 + 1000 + 3_600_000);
    expect(s.pool('py/M')?.vms).toHaveLength(0);
  });

  it('a request for a booting VM nobody waits for is cold with the remaining boot time', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1, issuedAt: T0 }));
    expect(s.request(req(T0 + 2000))).toMatchObject({ placement: 'cold', latencyMs: 500 });
    expect(s.pool('py/M')?.vms).toHaveLength(1); // claimed the booting VM, launched none
  });

  it('ignores a second event for the same request id (REQUEST then PAIRED, or redelivery)', () => {
    const s = sim();
    const r = req(T0);
    s.request(r);
    expect(s.request({ ...r, eventTime: T0 + 10 }).placement).toBe('duplicate');
    expect(s.totals()).toMatchObject({ requests: 1, ignoredEvents: 1 });
  });
});

describe('capacity and the priority queue', () => {
  it('at capacity requests queue; a freed VM serves the higher priority first, then arrival order', () => {
    const s = sim({ capacityByPool: { 'py/M': 1 } });
    s.request(req(T0)); // launches the only VM; busy +2500..+3500
    expect(s.request(req(T0 + 1, { priority: 1, durationMs: 1000 })).placement).toBe('queued');
    expect(s.request(req(T0 + 2, { priority: 5, durationMs: 10_000 })).placement).toBe('queued');
    expect(s.pool('py/M')?.queued).toBe(2);
    s.advanceTo(T0 + 4501);
    // Priority 5 went first (runs +3500..+13500); had priority 1 gone first, the queue would be empty now.
    expect(s.pool('py/M')?.queued).toBe(1);
    s.advanceTo(T0 + 20_000);
    expect(s.pool('py/M')?.queued).toBe(0);
    // Waits: priority 5 from +2 to +3500, priority 1 from +1 to +13500.
    expect(s.totals()).toMatchObject({ requests: 3, coldStarts: 1, queued: 2, queueWaitMsSum: 3498 + 13_499 });
  });

  it('LAUNCH beyond capacity launches what fits and says so', () => {
    const s = sim({ capacityByPool: { 'py/M': 3 } });
    const step = s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 5 }));
    expect(step.result).toMatchObject({ status: 'APPLIED', error: 'capacity 3: launched 3 of 5' });
    expect(s.pool('py/M')?.status.warming).toBe(3);
  });
});

describe('commands', () => {
  it('the same command twice: APPLIED, then DUPLICATE with nothing changed', () => {
    const s = sim();
    const c = cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 2 });
    const first = s.command(c);
    const second = s.command({ ...c, issuedAt: T0 + 100 });
    expect(first.result.status).toBe('APPLIED');
    expect(first.statuses).toEqual([expect.objectContaining({ poolId: 'py/M', warming: 2, idle: 0, active: 0 })]);
    expect(second.result).toMatchObject({ status: 'DUPLICATE', error: null });
    expect(second.statuses).toEqual([]);
    expect(s.pool('py/M')?.vms).toHaveLength(2);
    expect(s.totals()).toMatchObject({ commandsApplied: 1, duplicates: 1 });
  });

  it('remembered ids are DUPLICATE (restart); a remembered FAILED is tried again', () => {
    const s = sim();
    s.remember([{ commandId: 'old-1', status: 'APPLIED' }, { commandId: 'old-2', status: 'FAILED' }]);
    expect(s.command(cmd({ commandId: 'old-1', kind: 'LAUNCH', poolId: 'py/M', count: 1 })).result.status).toBe('DUPLICATE');
    expect(s.command(cmd({ commandId: 'old-2', kind: 'LAUNCH', poolId: 'py/M', count: 1 })).result.status).toBe('APPLIED');
  });

  it('a dry run answers DRY_RUN and changes nothing', () => {
    const s = sim();
    const step = s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 3, dryRun: true }));
    expect(step.result.status).toBe('DRY_RUN');
    expect(step.statuses).toEqual([]);
    expect(s.pool('py/M')).toBeUndefined();
    expect(s.totals()).toMatchObject({ dryRuns: 1, commandsApplied: 0, vms: 0 });
  });

  it.each([
    ['kind UNKNOWN', { kind: 'UNKNOWN', poolId: 'py/M', count: 1 }, /kind UNKNOWN/],
    ['a pool id outside the convention', { kind: 'LAUNCH', poolId: 'py/M/whatever', count: 1 }, /pool id/],
    ['an unknown size class', { kind: 'LAUNCH', poolId: 'py/XXL', count: 1 }, /size class/],
    ['LAUNCH without count', { kind: 'LAUNCH', poolId: 'py/M' }, /count >= 1/],
    ['PRELOAD outside a user sub-pool', { kind: 'PRELOAD', poolId: 'py/M', count: 1, preloadProfile: 'numpy' }, /per-user sub-pool/],
    ['MIGRATE across runtimes', { kind: 'MIGRATE', poolId: 'py/M', count: 1, targetPoolId: 'node/M' }, /between runtimes/],
    ['RESIZE with no size', { kind: 'RESIZE', poolId: 'py/M' }, /cpuCores > 0 or memoryMb > 0/],
    ['an unknown vm', { kind: 'TERMINATE', poolId: 'py/M', vmId: 'vm-999' }, /not in pool/],
  ] as const)('%s is REJECTED with the reason, and a repeat is DUPLICATE', (_name, c, error) => {
    const s = sim();
    const command = cmd(c);
    const step = s.command(command);
    expect(step.result.status).toBe('REJECTED');
    expect(step.result.error).toMatch(error);
    expect(s.command(command).result.status).toBe('DUPLICATE');
  });

  it('a config that contradicts the pool id is REJECTED', () => {
    const s = sim();
    const step = s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1, pool: { runtime: 'py', sizeClass: 'L' } }));
    expect(step.result).toMatchObject({ status: 'REJECTED', error: expect.stringMatching(/sizeClass L/) });
  });

  it('TERMINATE takes idle VMs first and drains a busy one: it finishes its work, then stops', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 2 })); // both idle at +2500
    s.request(req(T0 + 3000, { durationMs: 5000 })); // one busy until +8000
    s.command(cmd({ kind: 'TERMINATE', poolId: 'py/M', count: 1, issuedAt: T0 + 4000 }));
    expect(s.pool('py/M')?.status).toMatchObject({ idle: 0, active: 1 });
    s.command(cmd({ kind: 'TERMINATE', poolId: 'py/M', count: 1, issuedAt: T0 + 5000 }));
    expect(s.pool('py/M')?.status).toMatchObject({ active: 1 }); // still running its request
    s.advanceTo(T0 + 7999);
    expect(s.pool('py/M')?.vms).toHaveLength(1);
    s.advanceTo(T0 + 8000);
    expect(s.pool('py/M')?.vms).toHaveLength(0);
    expect(s.request(req(T0 + 9000)).placement).toBe('cold');
  });

  it('a count TERMINATE leaves the platform\'s keep-alive VMs (brought up by cold starts) to their own timer', () => {
    const s = sim();
    expect(s.request(req(T0, { durationMs: 1000 })).placement).toBe('cold'); // keep-alive VM, idle from +3500
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1, issuedAt: T0 + 100 }));
    s.advanceTo(T0 + 4000);
    expect(s.pool('py/M')?.status).toMatchObject({ idle: 2 });
    s.command(cmd({ kind: 'TERMINATE', poolId: 'py/M', count: 2, issuedAt: T0 + 4000 }));
    expect(s.pool('py/M')?.vms.map((v) => v.origin)).toEqual(['cold']);
    expect(s.request(req(T0 + 5000)).placement).toBe('warm');
  });

  it('TERMINATE of a booting VM a request waits for: the request waits again and gets a new VM', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 })); // ready at +2500
    expect(s.request(req(T0 + 1000))).toMatchObject({ placement: 'cold', latencyMs: 1500 });
    s.command(cmd({ kind: 'TERMINATE', poolId: 'py/M', count: 1, issuedAt: T0 + 1200 }));
    const vms = s.pool('py/M')!.vms;
    expect(vms).toHaveLength(1);
    expect(vms[0]).toMatchObject({ state: 'booting', readyAt: T0 + 1200 + 2500, origin: 'cold' });
    expect(s.pool('py/M')!.queued).toBe(0);
  });

  it('RESIZE changes a VM of a variable pool, which then serves a bigger class warm', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/var', count: 2 })); // M-sized: 1 vCPU, 1 GiB
    const vm = s.pool('py/var')!.vms[0]!.id;
    expect(s.command(cmd({ kind: 'RESIZE', poolId: 'py/var', vmId: vm, cpuCores: 4, memoryMb: 4096, issuedAt: T0 + 3000 })).result.status).toBe('APPLIED');
    expect(s.pool('py/var')!.vms.map((v) => [v.cpuCores, v.memoryMb])).toEqual([[4, 4096], [1, 1024]]);
    expect(s.request(req(T0 + 3100, { sizeClass: 'XL' }))).toMatchObject({ placement: 'warm', poolId: 'py/var' });
    expect(s.request(req(T0 + 3200, { sizeClass: 'XL' }))).toMatchObject({ placement: 'cold', poolId: 'py/XL' }); // the 1-vCPU one does not fit
  });

  it('a whole-pool RESIZE of a variable pool sizes the VMs that launch or migrate in later', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/var', count: 1 }));
    s.command(cmd({ kind: 'RESIZE', poolId: 'py/var', cpuCores: 2, memoryMb: 1280 }));
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/var', count: 1 }));
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/S', count: 1 }));
    s.command(cmd({ kind: 'MIGRATE', poolId: 'py/S', count: 1, targetPoolId: 'py/var', issuedAt: T0 + 3000 }));
    expect(s.pool('py/var')!.vms.map((v) => [v.cpuCores, v.memoryMb])).toEqual([[2, 1280], [2, 1280], [2, 1280]]);
    s.command(cmd({ kind: 'MIGRATE', poolId: 'py/var', count: 1, targetPoolId: 'py/M', issuedAt: T0 + 4000 }));
    expect(s.pool('py/M')!.vms.map((v) => [v.cpuCores, v.memoryMb])).toEqual([[1, 1024]]);
  });

  it('RESIZE of a whole pool changes its cost rate', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 2 }));
    s.command(cmd({ kind: 'RESIZE', poolId: 'py/M', cpuCores: 2, memoryMb: 2048, issuedAt: T0 + 30_000 }));
    const out = s.advanceTo(T0 + 60_000).outcomes[0]!;
    // 2 VMs x 30 s at 1 vCPU/1 GiB + 2 x 30 s at 2 vCPU/2 GiB = 3 x the first half's cost.
    const m = (0.04048 + 0.004445) / 3600;
    expect(out.cost).toBeCloseTo(2 * 30 * m + 2 * 30 * 2 * m, 12);
  });

  it('PRELOAD fills a per-user sub-pool (boot + preload) that serves that user warm, and only that user', () => {
    const s = sim();
    const sub = `py/M/user/${USER_A.slice(0, 12)}`;
    s.command(cmd({ kind: 'PRELOAD', poolId: sub, count: 1, preloadProfile: 'numpy+torch' }));
    expect(s.request(req(T0 + 7400))).toMatchObject({ placement: 'cold', poolId: sub, latencyMs: 100 }); // ready at +7500
    const s2 = sim();
    s2.command(cmd({ kind: 'PRELOAD', poolId: sub, count: 1, preloadProfile: 'numpy+torch' }));
    expect(s2.request(req(T0 + 8000, { userKey: USER_B }))).toMatchObject({ placement: 'cold', poolId: 'py/M' });
    expect(s2.request(req(T0 + 8000))).toMatchObject({ placement: 'warm', poolId: sub });
  });

  it('MIGRATE moves idle VMs to the target pool (created on first use); busy ones stay', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 3 }));
    s.request(req(T0 + 3000, { durationMs: 60_000 }));
    const step = s.command(cmd({ kind: 'MIGRATE', poolId: 'py/M', count: 3, targetPoolId: 'py/M/spot', issuedAt: T0 + 4000 }));
    expect(step.result).toMatchObject({ status: 'APPLIED', error: expect.stringMatching(/migrated 2 of 3/) });
    expect(s.pool('py/M')?.status).toMatchObject({ active: 1, idle: 0 });
    expect(s.pool('py/M/spot')?.status).toMatchObject({ idle: 2 });
    expect(s.request(req(T0 + 5000))).toMatchObject({ placement: 'warm', poolId: 'py/M/spot' });
  });
});

describe('spot interruptions (seeded)', () => {
  const run = (seed: number): number[] => {
    const s = sim({ seed, spotHazardPerHour: 60 }); // mean 1 minute between interruptions per VM
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M/spot', count: 5 }));
    const counts: number[] = [];
    for (let m = 1; m <= 10; m++) counts.push(...s.advanceTo(T0 + m * 60_000).outcomes.map((o) => o.spotInterruptions));
    expect(s.totals().spotInterruptions).toBe(5);
    return counts;
  };

  it('reclaims spot VMs at exponential times drawn from the seed: the same seed gives the same run', () => {
    const a = run(7);
    expect(a.reduce((x, y) => x + y, 0)).toBe(5);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('no hazard, no interruptions', () => {
    const s = sim({ spotHazardPerHour: 0 });
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M/spot', count: 5 }));
    s.advanceTo(T0 + 3_000_000);
    expect(s.totals().spotInterruptions).toBe(0);
  });
});

describe('windows, status and cost', () => {
  it('a window reports idle and busy VM-seconds and the cost of every VM alive', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 })); // booting 0..2.5 s, idle after
    s.request(req(T0 + 10_000, { durationMs: 5000 })); // busy 10..15 s
    const { outcomes, statuses } = s.advanceTo(T0 + 60_000);
    expect(outcomes).toEqual([expect.objectContaining({ poolId: 'py/M', windowStart: T0, windowEnd: T0 + 60_000, requests: 1, warmHits: 1, idleVmSeconds: 52.5, busyVmSeconds: 5, adapter: 'simulator' })]);
    expect(outcomes[0]!.cost).toBeCloseTo((60 * (0.04048 + 0.004445)) / 3600, 12);
    expect(statuses).toEqual([expect.objectContaining({ poolId: 'py/M', idle: 1, asOf: T0 + 60_000 })]);
  });

  it('a long gap with nothing alive is crossed in one jump: no outcome for empty windows', () => {
    const s = sim({ keepAliveMs: 600_000 });
    s.request(req(T0 + 1000)); // VM stops at +1000 + 2500 + 1000 + 600 000 = +604.5 s (window 10)
    const year = 365 * 86_400_000;
    const { outcomes } = s.request(req(T0 + year + 5000));
    expect(outcomes.map((o) => (o.windowStart - T0) / 60_000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outcomes.at(-1)).toMatchObject({ idleVmSeconds: 4.5 });
    expect(s.advanceTo(T0 + year + 60_000).outcomes).toEqual([expect.objectContaining({ windowStart: T0 + year, requests: 1, coldStarts: 1 })]);
  });

  it('reserved capacity is paid whether used or not', () => {
    const s = sim({ capacity: { reserved: 4 } });
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M/reserved', count: 1 }));
    const out = s.advanceTo(T0 + 60_000).outcomes[0]!;
    expect(out.cost).toBeCloseTo((4 * 0.6 * 60 * (0.04048 + 0.004445)) / 3600, 12);
  });

  it('status on change is sent at most once per event-time second per pool', () => {
    const s = sim();
    expect(s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 })).statuses).toHaveLength(1);
    expect(s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1, issuedAt: T0 + 500 })).statuses).toHaveLength(0);
    const later = s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1, issuedAt: T0 + 1000 })).statuses;
    expect(later).toEqual([expect.objectContaining({ warming: 3, asOf: T0 + 1000 })]);
  });

  it('a late input is applied at the current time and counted', () => {
    const s = sim();
    s.request(req(T0 + 5000));
    expect(s.request(req(T0 + 1000))).toMatchObject({ placement: 'cold', latencyMs: 2500 }); // applied at +5000, when the only VM is booting for the first request: a second VM boots
    expect(s.totals()).toMatchObject({ lateInputs: 1, lateMsMax: 4000 });
  });

  it('a late request runs only the part of its duration that is not over yet', () => {
    const s = sim();
    s.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 })); // idle from +2500
    s.request(req(T0 + 10_000, { userKey: USER_B, durationMs: 1000 })); // time is now +10 s; busy until +11 s
    expect(s.request(req(T0 + 4000, { durationMs: 8000 }))).toMatchObject({ placement: 'cold' }); // 6 s late: the only VM is busy
    expect(s.pool('py/M')?.status).toMatchObject({ active: 1, warming: 1 });
    s.advanceTo(T0 + 11_000); // the first finishes; the late one will run 8 - 6 = 2 s after its boot
    expect(s.pool('py/M')?.status).toMatchObject({ idle: 1, warming: 1 });
    s.advanceTo(T0 + 12_500 + 2000 - 1);
    expect(s.pool('py/M')?.status).toMatchObject({ idle: 1, active: 1 });
    s.advanceTo(T0 + 12_500 + 2000);
    expect(s.pool('py/M')?.status).toMatchObject({ idle: 2, active: 0 });
  });
});

describe('prediction switched off vs on, same traffic', () => {
  // A user calls every 15 minutes: past the 10-minute keep-alive, so without prediction every
  // call is cold. A scaler that keeps one VM warm (one LAUNCH) makes every call after the first warm.
  const traffic = Array.from({ length: 12 }, (_, i) => T0 + 60_000 + i * 15 * 60_000);

  it('the cold-start figure is lower with a pre-warmed VM', () => {
    const off = sim();
    for (const t of traffic) off.request(req(t));
    const on = sim();
    on.command(cmd({ kind: 'LAUNCH', poolId: 'py/M', count: 1 }));
    for (const t of traffic) on.request(req(t));
    expect(off.totals().coldStarts).toBe(12);
    expect(on.totals().coldStarts).toBe(0);
  });
});
