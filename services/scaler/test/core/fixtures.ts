// Hand-written builders and a tiny fake adapter for scenario tests (explicit event times).
import type { AggregatedDemand, CommandResult, PoolStatus, ProvisionCommand, SizeClass } from '@warmcast/kit';
import type { DecideInput, DemandRef } from '../../src/core/inputs.ts';
import { EMPTY_INPUT } from '../../src/core/inputs.ts';
import type { PoolPolicyOverride, ScalerPolicy } from '../../src/core/policy.ts';
import { DEFAULT_POLICY, mergePoolPolicy } from '../../src/core/policy.ts';
import { decide } from '../../src/core/decide.ts';
import type { Decision } from '../../src/core/decide.ts';
import type { ScalerState } from '../../src/core/state.ts';
import { INITIAL_STATE } from '../../src/core/state.ts';
import { parsePoolId } from '../../src/core/pool-id.ts';

export const MIN = 60_000;
/** Monday 2026-11-23 09:00 UTC. */
export const T0 = Date.UTC(2026, 10, 23, 9, 0);

export function policy(defaults: PoolPolicyOverride = {}, pools: ScalerPolicy['pools'] = {}, global: Partial<ScalerPolicy['global']> = {}): ScalerPolicy {
  // Tests trust forecasts from the first record unless they test the history rule.
  return { global: { ...DEFAULT_POLICY.global, ...global }, defaults: mergePoolPolicy(DEFAULT_POLICY.defaults, { minHistoryMs: 0, ...defaults }), pools };
}

export function demand(config: string, horizonMinutes: number, upper: number, windowEnd: number, extra: Partial<AggregatedDemand> = {}): DemandRef {
  const [runtime = 'python3.12', sizeClass = 'M'] = config.split('/');
  const d: AggregatedDemand = {
    pool: { runtime, sizeClass: sizeClass as SizeClass }, horizonMinutes, mean: upper * 0.7, variance: 1, lowerBound: upper * 0.5, upperBound: upper, confidence: 0.9,
    userCount: 10, windowStart: windowEnd - MIN, windowEnd, ...extra,
  };
  return { demand: d, ref: `demand.pool.aggregated.v1/0/${windowEnd / MIN}-${horizonMinutes}` };
}

export function status(poolId: string, counts: { warming?: number; active?: number; idle?: number; capacity?: number }, asOf: number): PoolStatus {
  const p = parsePoolId(poolId);
  const [runtime = poolId] = poolId.split('/');
  const sizeClass: SizeClass = p !== null && p.kind !== 'variable' ? p.sizeClass : 'M';
  return { poolId, pool: { runtime, sizeClass }, warming: counts.warming ?? 0, active: counts.active ?? 0, idle: counts.idle ?? 0, capacity: counts.capacity ?? 1000, adapter: 'fake', asOf };
}

export function input(i: Partial<DecideInput>): DecideInput {
  return { ...EMPTY_INPUT, ...i };
}

/**
 * A fake adapter: VMs per pool, each launch boots instantly (idle), `busy` VMs per pool are
 * active. It applies each command id once and reports status + results as of `now`.
 */
export class FakeAdapter {
  readonly vms = new Map<string, number>();
  readonly applied = new Set<string>();
  results: CommandResult[] = [];

  apply(cmds: readonly ProvisionCommand[], now: number): void {
    for (const c of cmds) {
      if (this.applied.has(c.commandId)) { this.results.push({ commandId: c.commandId, poolId: c.poolId, status: 'DUPLICATE', adapter: 'fake', appliedAt: now, error: null }); continue; }
      this.applied.add(c.commandId);
      if (c.dryRun) { this.results.push({ commandId: c.commandId, poolId: c.poolId, status: 'DRY_RUN', adapter: 'fake', appliedAt: now, error: null }); continue; }
      const n = this.vms.get(c.poolId) ?? 0;
      if (c.kind === 'LAUNCH' || c.kind === 'PRELOAD') this.vms.set(c.poolId, n + (c.count ?? 0));
      if (c.kind === 'TERMINATE') this.vms.set(c.poolId, Math.max(0, n - (c.count ?? 0)));
      if (c.kind === 'MIGRATE' && c.targetPoolId !== null) {
        this.vms.set(c.poolId, Math.max(0, n - (c.count ?? 0)));
        this.vms.set(c.targetPoolId, (this.vms.get(c.targetPoolId) ?? 0) + (c.count ?? 0));
      }
      this.results.push({ commandId: c.commandId, poolId: c.poolId, status: 'APPLIED', adapter: 'fake', appliedAt: now, error: null });
    }
  }

  statuses(busy: Readonly<Record<string, number>>, now: number): PoolStatus[] {
    return [...this.vms.entries()].map(([id, n]) => {
      const active = Math.min(n, busy[id] ?? 0);
      return status(id, { active, idle: n - active }, now);
    });
  }

  takeResults(): CommandResult[] {
    const r = this.results;
    this.results = [];
    return r;
  }
}

/** Runs decide() once per step against the fake adapter; returns every decision. */
export function run(p: ScalerPolicy, steps: readonly { now: number; demand: readonly DemandRef[]; busy?: Record<string, number>; extra?: Partial<DecideInput> }[], adapter = new FakeAdapter(), start: ScalerState = INITIAL_STATE): { decisions: { now: number; d: Decision }[]; adapter: FakeAdapter; state: ScalerState } {
  let state = start;
  const decisions: { now: number; d: Decision }[] = [];
  for (const s of steps) {
    const d = decide(p, state, input({ demand: s.demand, poolStatus: adapter.statuses(s.busy ?? {}, s.now), results: adapter.takeResults(), ...s.extra }), s.now);
    adapter.apply(d.commands, s.now);
    state = d.state;
    decisions.push({ now: s.now, d });
  }
  return { decisions, adapter, state };
}
