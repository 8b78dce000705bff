// Cost of one decide() call as the number of pool configurations grows (pure CPU, no I/O):
//   node --import tsx services/scaler/bench/decide.bench.ts [configs=200] [decisions=500]
// Each decision sees 4 horizons per configuration, a status per pool, 2 cluster loads, and a
// fake adapter applying the commands, so in-flight bookkeeping is exercised too.
import { performance } from 'node:perf_hooks';
import type { AggregatedDemand, PoolStatus } from '@warmcast/kit';
import { decide, EMPTY_INPUT, INITIAL_STATE, parsePolicy } from '../src/index.ts';
import type { DemandRef, ScalerState } from '../src/index.ts';

const configs = Number(process.argv[2] ?? 200);
const decisions = Number(process.argv[3] ?? 500);
const r = parsePolicy({ defaults: { minHistoryMs: 0, scaleIn: { stabilizationMs: 120_000 } } });
if (!r.ok) throw new Error(r.errors.join('; '));
const T0 = Date.UTC(2026, 10, 23, 9, 0);
const sizes = ['XS', 'S', 'M', 'L', 'XL'] as const;
const names = Array.from({ length: configs }, (_, i) => ({ runtime: `rt${Math.floor(i / sizes.length)}`, sizeClass: sizes[i % sizes.length] ?? 'M' }));
const vms = new Map<string, number>();
let state: ScalerState = INITIAL_STATE;
const times: number[] = [];
let commands = 0;
for (let k = 0; k < decisions; k++) {
  const now = T0 + k * 60_000;
  const demand: DemandRef[] = names.flatMap((pool, i) => [5, 15, 30, 120].map((h) => {
    const level = 5 + 4 * Math.sin((k + i) / 7) + h / 60;
    const d: AggregatedDemand = { pool, horizonMinutes: h, mean: level, variance: level, lowerBound: level * 0.6, upperBound: level * 1.4, confidence: 0.9, userCount: 10, windowStart: now - 60_000, windowEnd: now };
    return { demand: d, ref: `d/0/${k}` };
  }));
  const poolStatus: PoolStatus[] = names.map((pool) => {
    const id = `${pool.runtime}/${pool.sizeClass}`;
    const n = vms.get(id) ?? 0;
    return { poolId: id, pool, warming: 0, active: Math.floor(n / 2), idle: n - Math.floor(n / 2), capacity: 1000, adapter: 'bench', asOf: now };
  });
  const t = performance.now();
  const d = decide(r.policy, state, { ...EMPTY_INPUT, demand, poolStatus }, now);
  times.push(performance.now() - t);
  state = d.state;
  commands += d.commands.length;
  for (const c of d.commands) vms.set(c.poolId, Math.max(0, (vms.get(c.poolId) ?? 0) + (c.kind === 'LAUNCH' ? c.count ?? 0 : c.kind === 'TERMINATE' ? -(c.count ?? 0) : 0)));
}
times.sort((a, b) => a - b);
const q = (p: number): string => (times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? 0).toFixed(2);
console.log(JSON.stringify({ configs, decisions, commands, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1) }));
