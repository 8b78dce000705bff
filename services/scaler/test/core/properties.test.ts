// Property-style tests (seeded, reproducible): over random demand, status, reservations,
// anomalies and policies, the decider never plans a configuration above its cap and never
// emits two commands with the same id.
import { describe, expect, it } from 'vitest';
import type { Anomaly, PoolStatus, ProvisionCommand } from '@warmcast/kit';
import { decide } from '../../src/core/decide.ts';
import type { ScalerState } from '../../src/core/state.ts';
import { INITIAL_STATE } from '../../src/core/state.ts';
import type { BreachBehaviour } from '../../src/core/policy.ts';
import { policyFor } from '../../src/core/policy.ts';
import { FakeAdapter, MIN, T0, demand, input, policy } from './fixtures.ts';
import { seededRandom } from '@warmcast/testkit';

const rng = seededRandom;

const CONFIGS = ['python3.12/M', 'python3.12/S', 'node22/L'];

function fixedTotal(a: FakeAdapter, config: string): number {
  let n = 0;
  for (const [id, v] of a.vms) if (id === config || id.startsWith(`${config}/`)) n += v;
  return n;
}

describe('decider properties', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: never exceeds max capacity, never repeats a command id`, () => {
      const r = rng(seed);
      const breach: BreachBehaviour = r() < 0.5 ? 'honour' : 'raise';
      const max = 5 + Math.floor(r() * 20);
      const sharedCap = r() < 0.5 ? null : 10 + Math.floor(r() * 30);
      const p = policy({
        maxInstances: max, breach, breachBufferPct: 25, scaleOutCooldownMs: Math.floor(r() * 3) * MIN,
        scaleIn: { stabilizationMs: Math.floor(r() * 4) * MIN, graceMs: 0, onPrediction: r() < 0.3 },
        cost: { reservedInstances: Math.floor(r() * 4), spotEnabled: r() < 0.5, spotInterruptionRisk: 0.05, spotMaxRisk: 0.1 },
      }, {}, { maxTotalInstances: sharedCap });
      const cap = breach === 'raise' ? Math.floor(max * 1.25) : max;
      const a = new FakeAdapter();
      const ids = new Set<string>();
      let state: ScalerState = INITIAL_STATE;
      let lastStatus: PoolStatus[] = [];
      let now = T0;
      for (let step = 0; step < 120; step++) {
        // A third of the decisions share the previous one's event time (demand and status at once).
        if (r() > 0.33) now += 30_000;
        const dem = CONFIGS.flatMap((c) => [5, 15].map((h) => demand(c, h, r() * 40, now)));
        const anomalies: Anomaly[] = r() < 0.1 ? [{ anomalyId: `a${step}`, subjectKind: 'POOL', subjectId: CONFIGS[0] ?? '', metric: 'concurrent_instances', observed: r() * 80, expectedLower: 0, expectedUpper: 5, severity: 'CRITICAL', forecastRef: null, windowStart: now, detectedAt: now }] : [];
        const reservations = r() < 0.2 ? [{ reservationId: `r${step}`, poolId: CONFIGS[1] ?? '', count: Math.floor(r() * 50), fromMs: now, toMs: now + 10 * MIN, owner: 'o' }] : [];
        const busy = Object.fromEntries([...a.vms.keys()].map((k) => [k, Math.floor(r() * 10)]));
        // Sometimes the adapter reports late: the shell then still holds the previous status.
        const report = r() < 0.8;
        if (report) lastStatus = a.statuses(busy, now);
        const heavyUsers = r() < 0.5 ? [{ userKey: `${step % 3}`.repeat(12), config: CONFIGS[step % 3] ?? '', share: 0.2 + r() * 0.8, profile: 'p' }] : [];
        const d = decide(p, state, input({ demand: dem, poolStatus: lastStatus, results: report ? a.takeResults() : [], anomalies, reservations, heavyUsers }), now);
        for (const c of d.commands as ProvisionCommand[]) {
          expect(ids.has(c.commandId), `seed ${seed} step ${step}: duplicate ${c.commandId}`).toBe(false);
          ids.add(c.commandId);
        }
        const before = new Map(CONFIGS.map((c) => [c, fixedTotal(a, c)]));
        a.apply(d.commands, now);
        // The shared cap holds too (a total already above it may only shrink).
        const totalBefore = [...before.values()].reduce((x, y) => x + y, 0);
        const totalAfter = CONFIGS.reduce((x, c) => x + fixedTotal(a, c), 0);
        if (sharedCap !== null && totalAfter > totalBefore) expect(totalAfter, `seed ${seed} step ${step} total`).toBeLessThanOrEqual(sharedCap);
        for (const c of CONFIGS) {
          const after = fixedTotal(a, c);
          // Never grown above the cap (a pool already above it may only shrink).
          if (after > (before.get(c) ?? 0)) expect(after, `seed ${seed} step ${step} ${c}`).toBeLessThanOrEqual(cap);
          expect(policyFor(p, c).maxInstances).toBe(max);
        }
        state = d.state;
      }
      expect(ids.size).toBeGreaterThan(0);
    });
  }
});
