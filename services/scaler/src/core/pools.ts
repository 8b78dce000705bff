// Pool status grouped by configuration, with the in-flight commands the status does not show yet.
import type { PoolStatus } from '@warmcast/kit';
import type { InFlight } from './state.ts';
import type { Tier } from './pool-id.ts';
import { parsePoolId, tierPoolId } from './pool-id.ts';
import type { TierCounts } from './cost.ts';

export interface PoolView {
  readonly poolId: string;
  readonly status: PoolStatus | null;
  /** warming + active + idle + in-flight deltas, >= 0. */
  readonly total: number;
  readonly idle: number;
  readonly active: number;
  readonly room: number;
  readonly pending: number;
}

/** Net in-flight delta per pool id. */
export type PendingOf = (poolId: string) => number;

export function viewPool(poolId: string, status: PoolStatus | undefined, pendingOf: PendingOf): PoolView {
  const pending = pendingOf(poolId);
  const seen = status === undefined ? 0 : status.warming + status.active + status.idle;
  const total = Math.max(0, seen + pending);
  return {
    poolId, status: status ?? null, total, pending,
    idle: Math.max(0, (status?.idle ?? 0) + Math.min(0, pending)),
    active: status?.active ?? 0,
    room: status === undefined ? Number.POSITIVE_INFINITY : Math.max(0, status.capacity - total),
  };
}

export interface ConfigView {
  readonly tiers: Readonly<Record<Tier, PoolView>>;
  readonly total: number;
  readonly idle: number;
  readonly active: number;
  readonly pending: number;
}

export function viewConfig(config: string, statusById: ReadonlyMap<string, PoolStatus>, pendingOf: PendingOf): ConfigView {
  const tiers = {
    'on-demand': viewPool(tierPoolId(config, 'on-demand'), statusById.get(tierPoolId(config, 'on-demand')), pendingOf),
    spot: viewPool(tierPoolId(config, 'spot'), statusById.get(tierPoolId(config, 'spot')), pendingOf),
    reserved: viewPool(tierPoolId(config, 'reserved'), statusById.get(tierPoolId(config, 'reserved')), pendingOf),
  };
  const all = Object.values(tiers);
  return {
    tiers,
    total: all.reduce((s, v) => s + v.total, 0),
    idle: all.reduce((s, v) => s + v.idle, 0),
    active: all.reduce((s, v) => s + v.active, 0),
    pending: all.reduce((s, v) => s + v.pending, 0),
  };
}

export function tierCounts(v: ConfigView): Record<Tier, TierCounts> {
  return {
    'on-demand': { total: v.tiers['on-demand'].total, room: v.tiers['on-demand'].room },
    spot: { total: v.tiers.spot.total, room: v.tiers.spot.room },
    reserved: { total: v.tiers.reserved.total, room: v.tiers.reserved.room },
  };
}

/** Applies command results and drops in-flight entries the status now shows (or that expired). */
export function settleInFlight(inFlight: readonly InFlight[], results: readonly { commandId: string; status: string; appliedAt: number }[], statusById: ReadonlyMap<string, PoolStatus>, now: number, ttlMs: number): InFlight[] {
  const byId = new Map(results.map((r) => [r.commandId, r]));
  const out: InFlight[] = [];
  for (const f of inFlight) {
    if (f.dryRun === true) {
      if (now - f.issuedAt <= ttlMs) out.push(f);
      continue;
    }
    let g = f;
    const r = byId.get(f.commandId);
    if (r !== undefined) {
      if (r.status !== 'APPLIED' && r.status !== 'DUPLICATE') continue; // DRY_RUN, REJECTED, FAILED: nothing changed
      g = { ...f, appliedAt: r.appliedAt };
    }
    if (now - g.issuedAt > ttlMs) continue;
    const s = statusById.get(g.poolId);
    if (g.appliedAt !== null && s !== undefined && s.asOf >= g.appliedAt) continue;
    out.push(g);
  }
  return out;
}

/** Configurations (`rt/sc`) named by any fixed or user pool id. */
export function configOf(poolId: string): string | null {
  const p = parsePoolId(poolId);
  return p === null || p.kind === 'variable' ? null : p.config;
}
