// Per-user sub-pools (`<config>/user/<12 hex>`): PRELOAD a heavy user's software on
// min(maxSubPoolInstances, ceil(share x target)) VMs; shrink a sub-pool whose user is no longer
// heavy (or needs fewer) by the same observed-idle rule as shared pools: the idle surplus must
// hold for scaleIn.stabilizationMs, and not within scaleIn.graceMs of the last PRELOAD.
// Example: share 0.4 of target 11 -> sub-pool 5; the shared pool's target shrinks to 6.
import type { PoolStatus } from '@warmcast/kit';
import type { HeavyUser } from './inputs.ts';
import type { PoolPolicy } from './policy.ts';
import type { ConfigState } from './state.ts';
import { INITIAL_CONFIG_STATE } from './state.ts';
import type { Target } from './target.ts';
import { parsePoolId, poolConfig, userPoolId } from './pool-id.ts';
import { viewPool } from './pools.ts';
import type { Emitter } from './decide.ts';

/** Returns the sub-pools' total size, which the shared pool's target gives up. */
export interface SubPoolResult {
  /** VMs of heavy users' sub-pools (existing + preloading, up to their wanted size): the shared pool's target gives these up. */
  readonly serving: number;
  /** Every VM in this configuration's sub-pools (for the configuration's cap). */
  readonly total: number;
}

/**
 * `room`: VMs the configuration may still add under its cap (shared pools + all sub-pools);
 * `shared.left`: room under global.maxTotalInstances. PRELOADs take from both.
 */
export function decideSubPools(em: Emitter, p: PoolPolicy, config: string, t: Target, heavy: readonly HeavyUser[], statusById: ReadonlyMap<string, PoolStatus>, configs: Record<string, ConfigState>, room: number, shared: { left: number }, now: number): SubPoolResult {
  let serving = 0;
  let added = 0;
  const desiredById = new Map<string, number>();
  for (const u of p.preload.enabled ? heavy : []) {
    if (u.config !== config || u.share < p.preload.shareThreshold) continue;
    // Pool ids carry the first 12 hex of the key (ingest's HMAC-SHA256 hex); other keys cannot name a sub-pool.
    if (!/^[0-9a-f]{12}/i.test(u.userKey)) {
      em.note({ poolId: config, action: 'skip', target: null, current: null, rule: 'heavy-user-preload', detail: 'heavy user key is not hex: no sub-pool' });
      continue;
    }
    const poolId = userPoolId(config, u.userKey);
    if (desiredById.has(poolId)) continue;
    const view = viewPool(poolId, statusById.get(poolId), em.pendingOf);
    const desired = Math.min(p.preload.maxSubPoolInstances, Math.max(1, Math.ceil(u.share * t.target - 1e-9)));
    desiredById.set(poolId, desired);
    const n = Math.max(0, Math.min(desired - view.total, room - added, shared.left));
    serving += Math.min(desired, view.total + n);
    if (n <= 0) continue;
    added += n;
    shared.left -= n;
    em.emit({
      kind: 'PRELOAD', poolId, pool: poolConfig(config), count: n, preloadProfile: u.profile, rule: 'heavy-user-preload', forecastRef: t.forecastRef, bound: p.preload.shareThreshold,
      text: `user ${u.userKey.slice(0, 12)} has ${Math.round(u.share * 100)} % of ${config} demand (>= ${p.preload.shareThreshold * 100} %): sub-pool of ${desired} = ceil(share x target ${t.target}); preload ${n} with ${u.profile}, ready by ${new Date(now + t.leadMs + p.preload.preloadMs).toISOString()}`,
    }, p, n);
    em.note({ poolId, action: 'preload', target: desired, current: view.total, rule: 'heavy-user-preload', detail: `preload ${n}` });
    configs[poolId] = { ...(configs[poolId] ?? INITIAL_CONFIG_STATE), lastScaleOutAt: now };
  }
  for (const [poolId, st] of statusById) {
    const parsed = parsePoolId(poolId);
    if (parsed === null || parsed.kind !== 'user' || parsed.config !== config) continue;
    shrink(em, p, config, poolId, viewPool(poolId, st, em.pendingOf), desiredById.get(poolId) ?? 0, configs, now);
  }
  return { serving, total: userPoolsTotal(config, statusById, em) };
}

/** Every VM in the configuration's sub-pools: reported, plus in flight (PRELOADs not yet reported). */
export function userPoolsTotal(config: string, statusById: ReadonlyMap<string, PoolStatus>, em: Emitter): number {
  let n = 0;
  for (const id of new Set([...statusById.keys(), ...em.inFlight.map((f) => f.poolId)])) {
    const parsed = parsePoolId(id);
    if (parsed !== null && parsed.kind === 'user' && parsed.config === config) n += viewPool(id, statusById.get(id), em.pendingOf).total;
  }
  return n;
}

function shrink(em: Emitter, p: PoolPolicy, config: string, poolId: string, view: ReturnType<typeof viewPool>, desired: number, configs: Record<string, ConfigState>, now: number): void {
  const cs = configs[poolId] ?? INITIAL_CONFIG_STATE;
  const surplus = Math.min(view.idle, view.total - desired);
  if (surplus < 1) {
    configs[poolId] = { ...cs, dropSince: null, minSurplus: Number.POSITIVE_INFINITY };
    return;
  }
  const dropSince = cs.dropSince ?? now;
  const minSurplus = Math.min(cs.minSurplus, surplus);
  const graceOver = cs.lastScaleOutAt === null || now - cs.lastScaleOutAt >= p.scaleIn.graceMs;
  if (now - dropSince < p.scaleIn.stabilizationMs || !graceOver) {
    configs[poolId] = { ...cs, dropSince, minSurplus };
    return;
  }
  const n = Math.floor(Math.min(minSurplus, surplus));
  em.emit({
    kind: 'TERMINATE', poolId, pool: poolConfig(config), count: n, rule: 'sub-pool-scale-in', forecastRef: null, bound: desired,
    text: `sub-pool wants ${desired} (${desired === 0 ? 'user no longer heavy' : 'smaller share'}); idle surplus of at least ${n} held for ${(now - dropSince) / 1000}s >= ${p.scaleIn.stabilizationMs / 1000}s; terminate ${n} idle`,
  }, p, -n);
  em.note({ poolId, action: 'terminate', target: desired, current: view.total, rule: 'sub-pool-scale-in', detail: `terminate ${n}` });
  configs[poolId] = { ...cs, dropSince: null, minSurplus: Number.POSITIVE_INFINITY, lastScaleInAt: now };
}
