// Variable-resource pools (`<runtime>/var`): vertical RESIZE when the predicted per-VM size
// differs from the allocation by more than resize.thresholdPct (resize.ts), and MIGRATE of idle
// VMs between a runtime's fixed pools and its variable pool when the predicted memory varies
// widely (CV = sd / mean of the cluster's predicted memory; hysteresis toVariableCv > toFixedCv).
// Example: CV 1.3 > 1.0 -> move up to 2 idle VMs from python3.12/M to python3.12/var;
// CV 0.3 < 0.5 -> move idle variable VMs back to python3.12/<variableSizeClass>.
import type { PoolStatus, SizeClass } from '@warmcast/kit';
import type { DecideInput } from './inputs.ts';
import type { ScalerPolicy } from './policy.ts';
import { leadTimeMs, policyFor } from './policy.ts';
import type { Allocation, ConfigState } from './state.ts';
import { INITIAL_CONFIG_STATE } from './state.ts';
import { parsePoolId, tierPoolId, variablePoolId } from './pool-id.ts';
import { memoryCv, perVmPrediction, resizeFor } from './resize.ts';
import { viewPool } from './pools.ts';
import type { Emitter } from './decide.ts';

function variablePools(policy: ScalerPolicy, input: DecideInput): string[] {
  const s = new Set<string>();
  for (const st of input.poolStatus) if (parsePoolId(st.poolId)?.kind === 'variable') s.add(st.poolId);
  for (const k of Object.keys(policy.pools)) if (parsePoolId(k)?.kind === 'variable') s.add(k);
  return [...s].sort();
}

export function decideVariablePools(em: Emitter, policy: ScalerPolicy, allocations: Readonly<Record<string, Allocation>>, input: DecideInput, statusById: ReadonlyMap<string, PoolStatus>, configs: Record<string, ConfigState>, now: number): Record<string, Allocation> {
  const out: Record<string, Allocation> = { ...allocations };
  const sizeClass: SizeClass = policy.global.variableSizeClass;
  for (const poolId of variablePools(policy, input)) {
    const p = policyFor(policy, poolId);
    const runtime = poolId.split('/')[0] ?? poolId;
    const pool = { runtime, sizeClass };
    if (p.mode === 'off' || p.paused) {
      em.note({ poolId, action: 'skip', target: null, current: null, rule: p.paused ? 'paused' : 'mode-off', detail: 'variable pool skipped' });
      continue;
    }
    const leadMs = leadTimeMs(p);
    const pred = perVmPrediction(input.clusterLoad, input.demand, leadMs);
    if (p.resize.enabled && pred !== null) {
      const alloc = out[poolId] ?? { cpuCores: p.resize.cpuCores, memoryMb: p.resize.memoryMb };
      const r = resizeFor(pred, alloc, p.resize.thresholdPct);
      if (r !== null) {
        em.emit({ kind: 'RESIZE', poolId, pool, cpuCores: r.allocation.cpuCores, memoryMb: r.allocation.memoryMb, rule: 'vertical-resize', forecastRef: pred.ref, bound: r.bound, text: r.text }, p, 0);
        em.note({ poolId, action: 'resize', target: null, current: null, rule: 'vertical-resize', detail: r.text });
        // Also in forecast-only (else the same dry-run RESIZE every decision); the policy, and so
        // the mode, is fixed for the process lifetime and the state starts afresh with it.
        out[poolId] = r.allocation;
      }
    }
    if (!p.migrate.enabled) continue;
    const sorted = [...input.clusterLoad].sort((a, b) => a.load.horizonMinutes - b.load.horizonMinutes);
    const c = sorted.find((x) => x.load.horizonMinutes * 60_000 >= leadMs) ?? sorted[sorted.length - 1];
    if (c === undefined) continue;
    const cs = configs[poolId] ?? INITIAL_CONFIG_STATE;
    if (cs.lastScaleOutAt !== null && now - cs.lastScaleOutAt < p.scaleOutCooldownMs) continue;
    const cv = memoryCv(c);
    let moved = 0;
    if (cv > p.migrate.toVariableCv) {
      // Fixed on-demand pools of this runtime, the one with the most idle VMs first.
      const fixed = input.poolStatus.map((s) => ({ s, id: parsePoolId(s.poolId) }))
        .filter((x) => x.id !== null && x.id.kind === 'fixed' && x.id.runtime === runtime && x.id.tier === 'on-demand')
        .map((x) => viewPool(x.s.poolId, x.s, em.pendingOf)).sort((a, b) => b.idle - a.idle || (a.poolId < b.poolId ? -1 : 1));
      const from = fixed[0];
      const n = from === undefined ? 0 : Math.min(from.idle, p.migrate.maxPerDecision);
      if (from !== undefined && n > 0 && from.status !== null) {
        em.emit({ kind: 'MIGRATE', poolId: from.poolId, pool: from.status.pool, count: n, targetPoolId: poolId, rule: 'migrate-to-variable', forecastRef: c.ref, bound: p.migrate.toVariableCv,
          text: `predicted memory CV ${cv.toFixed(2)} > ${p.migrate.toVariableCv} at h=${c.load.horizonMinutes}m: sizes vary widely; move ${n} idle VMs from ${from.poolId} to ${poolId}` }, p, -n);
        // The destination grows by n too (same command id, second entry).
        const last = em.commands[em.commands.length - 1];
        if (last !== undefined) em.addInFlight({ commandId: last.commandId, poolId, delta: n, issuedAt: now, appliedAt: null, dryRun: last.dryRun });
        moved = n;
      }
    } else if (cv < p.migrate.toFixedCv) {
      const v = viewPool(poolId, statusById.get(poolId), em.pendingOf);
      const n = Math.min(v.idle, p.migrate.maxPerDecision);
      const target = tierPoolId(`${runtime}/${sizeClass}`, 'on-demand');
      if (n > 0) {
        em.emit({ kind: 'MIGRATE', poolId, pool, count: n, targetPoolId: target, rule: 'migrate-to-fixed', forecastRef: c.ref, bound: p.migrate.toFixedCv,
          text: `predicted memory CV ${cv.toFixed(2)} < ${p.migrate.toFixedCv} at h=${c.load.horizonMinutes}m: sizes are uniform; move ${n} idle VMs from ${poolId} to ${target}` }, p, -n);
        moved = n;
      }
    }
    if (moved > 0) configs[poolId] = { ...cs, lastScaleOutAt: now };
  }
  return out;
}

export { variablePoolId };
