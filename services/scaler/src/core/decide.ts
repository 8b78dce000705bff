// decide(policy, state, input, now) -> { state, commands, notes }: the whole scaler decision,
// pure. One pass: settle in-flight commands, then per configuration a target (target.ts),
// scale-out needs (queued by priority when capacity is short, placed by cost), preloaded
// per-user sub-pools, observed-drop scale-in; then resize and migration of variable pools.
// Rules and defaults: docs/scaler.md.
import type { PoolStatus, ProvisionCommand } from '@warmcast/kit';
import type { DecideInput, DemandRef } from './inputs.ts';
import type { PoolPolicy, ScalerPolicy } from './policy.ts';
import { policyFor } from './policy.ts';
import type { ConfigState, InFlight, ScalerState } from './state.ts';
import { INITIAL_CONFIG_STATE } from './state.ts';
import { computeTarget } from './target.ts';
import type { Target } from './target.ts';
import { configOf, settleInFlight, tierCounts, viewConfig, viewPool } from './pools.ts';
import type { ConfigView } from './pools.ts';
import { allocate } from './queue.ts';
import type { Need } from './queue.ts';
import { placeLaunch, TERMINATE_ORDER } from './cost.ts';
import { parsePoolId, poolConfig, tierPoolId } from './pool-id.ts';
import { decideSubPools, userPoolsTotal } from './sub-pools.ts';
import { buildCommand } from './command.ts';
import type { CommandSpec } from './command.ts';
import { commandId } from './command-id.ts';
import { decideVariablePools } from './variable.ts';

export type NoteAction = 'launch' | 'terminate' | 'preload' | 'hold' | 'wait' | 'skip' | 'cooldown' | 'resize' | 'migrate';

/** One line per pool per decision, for logs and tests ("why did nothing happen"). */
export interface PoolNote {
  readonly poolId: string;
  readonly action: NoteAction;
  readonly target: number | null;
  readonly current: number | null;
  readonly rule: string;
  readonly detail: string;
}

export interface Decision {
  readonly state: ScalerState;
  readonly commands: readonly ProvisionCommand[];
  readonly notes: readonly PoolNote[];
}

/** Mutable scratch for one decision; the returned state is a fresh object. */
export class Emitter {
  readonly commands: ProvisionCommand[] = [];
  readonly notes: PoolNote[] = [];
  readonly inFlight: InFlight[] = [];
  private readonly pending = new Map<string, number>();
  /** Net in-flight delta of a pool (one map lookup: decide() is called per window for every pool). */
  readonly pendingOf = (poolId: string): number => this.pending.get(poolId) ?? 0;

  constructor(public seq: number, inFlight: readonly InFlight[], private readonly now: number) {
    for (const f of inFlight) this.addInFlight(f);
  }

  addInFlight(f: InFlight): void {
    this.inFlight.push(f);
    this.pending.set(f.poolId, this.pendingOf(f.poolId) + f.delta);
  }

  emit(spec: CommandSpec, p: PoolPolicy, delta: number): ProvisionCommand {
    const id = commandId({ poolId: spec.poolId, rule: spec.rule, now: this.now, seq: this.seq++ });
    const dryRun = p.mode === 'forecast-only';
    const cmd = buildCommand(spec, id, dryRun, this.now);
    this.commands.push(cmd);
    if (delta !== 0) this.addInFlight({ commandId: id, poolId: spec.poolId, delta, issuedAt: this.now, appliedAt: null, dryRun });
    return cmd;
  }

  note(n: PoolNote): void {
    this.notes.push(n);
  }
}


function configsOf(policy: ScalerPolicy, input: DecideInput): string[] {
  const s = new Set<string>();
  for (const d of input.demand) s.add(`${d.demand.pool.runtime}/${d.demand.pool.sizeClass}`);
  for (const st of input.poolStatus) { const c = configOf(st.poolId); if (c !== null) s.add(c); }
  for (const k of Object.keys(policy.pools)) { const p = parsePoolId(k); if (p !== null && p.kind === 'fixed') s.add(p.config); }
  for (const r of input.reservations) { const c = configOf(r.poolId); if (c !== null) s.add(c); }
  return [...s].sort();
}

interface Planned {
  readonly config: string;
  readonly p: PoolPolicy;
  readonly t: Target;
  readonly view: ConfigView;
  readonly want: number;
  readonly lower: number;
}

export function decide(policy: ScalerPolicy, state: ScalerState, input: DecideInput, now: number): Decision {
  const statusById = new Map<string, PoolStatus>(input.poolStatus.map((s) => [s.poolId, s]));
  // Ids count commands per event time: a fresh state at the same `now` yields the same ids (command-id.ts).
  const em = new Emitter(state.lastNow === now ? state.seq : 0, settleInFlight(state.inFlight, input.results, statusById, now, policy.global.pendingTtlMs), now);
  const configs: Record<string, ConfigState> = { ...state.configs };
  const needs: Need[] = [];
  const planned = new Map<string, Planned>();
  let fixedTotal = 0;

  // All fixed and per-user pools: reported ones plus those with launches the status does not show yet.
  for (const id of new Set([...statusById.keys(), ...em.inFlight.map((f) => f.poolId)])) {
    const pid = parsePoolId(id);
    if (pid !== null && pid.kind !== 'variable') fixedTotal += viewPool(id, statusById.get(id), em.pendingOf).total;
  }

  // What the shared cap leaves; sub-pool PRELOADs take from it first, then the launch queue.
  const shared = { left: policy.global.maxTotalInstances === null ? Number.POSITIVE_INFINITY : Math.max(0, policy.global.maxTotalInstances - fixedTotal) };

  const demandByConfig = new Map<string, DemandRef[]>();
  for (const d of input.demand) {
    const k = `${d.demand.pool.runtime}/${d.demand.pool.sizeClass}`;
    const list = demandByConfig.get(k);
    if (list === undefined) demandByConfig.set(k, [d]); else list.push(d);
  }

  for (const config of configsOf(policy, input)) {
    const p = policyFor(policy, config);
    const demands = demandByConfig.get(config) ?? [];
    let cs: ConfigState = configs[config] ?? INITIAL_CONFIG_STATE;
    if (demands.length > 0 && cs.firstDemandAt === null) cs = { ...cs, firstDemandAt: Math.min(now, ...demands.map((d) => d.demand.windowEnd)) };
    configs[config] = cs;
    if (p.mode === 'off' || p.paused) {
      em.note({ poolId: config, action: 'skip', target: null, current: null, rule: p.paused ? 'paused' : 'mode-off', detail: p.paused ? 'pool paused' : 'mode off' });
      continue;
    }
    const t = computeTarget({ p, g: policy.global, config, demands, cs, anomalies: input.anomalies, reservations: input.reservations, now, forecasterFailed: input.forecasterFailed === true });
    const view = viewConfig(config, statusById, em.pendingOf);
    const sub = decideSubPools(em, p, config, t, input.heavyUsers, statusById, configs, Math.max(0, t.cap - view.total - userPoolsTotal(config, statusById, em)), shared, now);
    // Sub-pool VMs serve the heavy users' share of this configuration's demand.
    const want = Math.max(0, t.target - sub.serving);
    const lower = t.demand === null ? want : Math.min(want, t.demand.demand.lowerBound);
    planned.set(config, { config, p, t, view, want, lower });
    cs = { ...cs, lastTarget: want };

    const deficit = want - view.total;
    const room = Math.max(0, t.cap - view.total - sub.total);
    if (deficit > 0 && deficit > p.scaleOutTolerance * view.total) {
      const cooling = cs.lastScaleOutAt !== null && now - cs.lastScaleOutAt < p.scaleOutCooldownMs && t.rule !== 'anomaly-corrective';
      if (cooling) {
        em.note({ poolId: config, action: 'cooldown', target: want, current: view.total, rule: t.rule, detail: `scale-out cooldown until ${(cs.lastScaleOutAt ?? now) + p.scaleOutCooldownMs}` });
      } else if (room > 0) {
        needs.push({ config, priority: p.priority, since: cs.needSince ?? now, count: Math.min(deficit, room) });
      } else {
        em.note({ poolId: config, action: 'hold', target: want, current: view.total, rule: 'max-capacity', detail: `at cap ${t.cap}` });
      }
      cs = { ...cs, dropSince: null, minSurplus: Number.POSITIVE_INFINITY };
    } else {
      cs = { ...cs, needSince: null, ...scaleIn(em, p, config, t, want, view, cs, now) };
    }
    configs[config] = cs;
  }

  for (const g of allocate(needs, shared.left)) {
    const pl = planned.get(g.need.config);
    if (pl === undefined) continue;
    const cs = configs[g.need.config] ?? INITIAL_CONFIG_STATE;
    const place = placeLaunch(g.granted, pl.p.cost, pl.want, pl.lower, tierCounts(pl.view));
    let launched = 0;
    for (const tier of ['reserved', 'spot', 'on-demand'] as const) {
      const n = place[tier];
      if (n <= 0) continue;
      launched += n;
      const poolId = tierPoolId(g.need.config, tier);
      em.emit({
        kind: 'LAUNCH', poolId, pool: poolConfig(g.need.config), count: n, rule: pl.t.rule, forecastRef: pl.t.forecastRef, bound: pl.t.bound,
        text: `${pl.t.text}; current ${pl.view.total} (active ${pl.view.active}, idle ${pl.view.idle}, in flight ${pl.view.pending}); launch ${n} ${tier}${g.granted < g.need.count ? ` (queue #${g.position}, ${g.granted}/${g.need.count} granted)` : ''}`,
      }, pl.p, n);
    }
    const waiting = g.need.count - launched;
    em.note({ poolId: g.need.config, action: launched > 0 ? 'launch' : 'wait', target: pl.want, current: pl.view.total, rule: pl.t.rule,
      detail: `queue #${g.position} priority ${g.need.priority} waiting since ${g.need.since}: launched ${launched}, waiting ${waiting}` });
    configs[g.need.config] = { ...cs, lastScaleOutAt: launched > 0 ? now : cs.lastScaleOutAt, needSince: waiting > 0 ? g.need.since : null };
  }

  const allocations = decideVariablePools(em, policy, state.allocations, input, statusById, configs, now);
  return {
    state: { seq: em.seq, lastNow: now, configs, inFlight: em.inFlight, allocations },
    commands: em.commands,
    notes: em.notes,
  };
}

/** Observed-drop scale-in (or predicted, when allowed): returns the config-state changes. */
function scaleIn(em: Emitter, p: PoolPolicy, config: string, t: Target, want: number, view: ConfigView, cs: ConfigState, now: number): Partial<ConfigState> {
  const floor = Math.max(want, t.reservedFloor);
  const excess = view.total - floor;
  const surplus = p.scaleIn.onPrediction ? excess : Math.min(view.idle, excess);
  const threshold = Math.max(1, p.scaleIn.tolerance * floor);
  if (surplus < threshold) {
    em.note({ poolId: config, action: 'hold', target: want, current: view.total, rule: t.rule, detail: `surplus ${surplus} < ${threshold}` });
    return { dropSince: null, minSurplus: Number.POSITIVE_INFINITY };
  }
  const dropSince = cs.dropSince ?? now;
  const minSurplus = Math.min(cs.minSurplus, surplus);
  const stable = now - dropSince >= p.scaleIn.stabilizationMs;
  const graceOver = cs.lastScaleOutAt === null || now - cs.lastScaleOutAt >= p.scaleIn.graceMs;
  const cooled = cs.lastScaleInAt === null || now - cs.lastScaleInAt >= p.scaleIn.cooldownMs;
  if (!stable || !graceOver || !cooled) {
    const why = !stable ? `stabilizing since ${dropSince} (${(now - dropSince) / 1000}s of ${p.scaleIn.stabilizationMs / 1000}s)` : !graceOver ? `grace after scale-out (${p.scaleIn.graceMs / 1000}s)` : `scale-in cooldown (${p.scaleIn.cooldownMs / 1000}s)`;
    em.note({ poolId: config, action: 'hold', target: want, current: view.total, rule: 'scale-in-wait', detail: `surplus ${surplus}: ${why}` });
    return { dropSince, minSurplus };
  }
  let left = Math.floor(Math.min(minSurplus, surplus));
  const rule = p.scaleIn.onPrediction ? 'scale-in-predicted' : 'scale-in-observed';
  for (const tier of TERMINATE_ORDER) {
    const v = view.tiers[tier];
    const n = Math.min(left, p.scaleIn.onPrediction ? v.total : v.idle);
    if (n <= 0) continue;
    left -= n;
    em.emit({
      kind: 'TERMINATE', poolId: v.poolId, pool: poolConfig(config), count: n, rule, forecastRef: t.forecastRef, bound: floor,
      text: `${p.scaleIn.onPrediction ? 'predicted' : 'observed'} surplus of at least ${Math.floor(minSurplus)} over ${floor} (target ${want}, reserved ${t.reservedFloor}) held for ${(now - dropSince) / 1000}s >= ${p.scaleIn.stabilizationMs / 1000}s; terminate ${n} ${tier} (idle first, busy VMs drain); ${t.text}`,
    }, p, -n);
    em.note({ poolId: v.poolId, action: 'terminate', target: want, current: view.total, rule, detail: `terminate ${n}` });
  }
  return { dropSince: null, minSurplus: Number.POSITIVE_INFINITY, lastScaleInAt: now };
}
