// Simulator throughput and a sanity figure: the same synthetic day of traffic with prediction
// switched off (cold starts launch VMs, 10-minute keep-alive) and with a fixed warm pool launched
// by commands (a stand-in for the scaler: NOT the scaler's policy).
//   node --import tsx services/adapters/bench/simulator.bench.ts [users=300] [seed=1]
// Traffic: each user calls py/<class> either on a timer (period 5-60 min, jitter +-10 s) or as
// Poisson bursts (mean gap 2-90 min); durations lognormal median 800 ms.
import { performance } from 'node:perf_hooks';
import { Prng } from '../src/core/prng.ts';
import { Simulator } from '../src/core/simulator.ts';
import type { SimRequest } from '../src/core/simulator.ts';
import { simulatorParams } from '../src/core/params.ts';
import type { FixedSizeClass } from '../src/core/pool-id.ts';

const users = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 1);
const T0 = Date.UTC(2026, 0, 5);
const DAY = 86_400_000;

function traffic(): SimRequest[] {
  const rng = new Prng(seed);
  const classes: FixedSizeClass[] = ['S', 'M', 'L'];
  const out: SimRequest[] = [];
  for (let u = 0; u < users; u++) {
    const userKey = u.toString(16).padStart(12, '0').padEnd(64, 'a');
    const sizeClass = classes[u % 3]!;
    const timer = rng.next() < 0.4;
    const gapMs = timer ? (5 + Math.floor(rng.next() * 56)) * 60_000 : (2 + rng.next() * 88) * 60_000;
    for (let t = T0 + rng.next() * gapMs; t < T0 + DAY;) {
      out.push({ requestId: `${u}-${out.length}`, userKey, runtime: 'py', sizeClass, priority: u % 10, eventTime: Math.round(t), durationMs: rng.lognormalMs({ medianMs: 800, sigma: 1 }) });
      t += timer ? gapMs + (rng.next() - 0.5) * 20_000 : rng.exponentialMs(3_600_000 / gapMs);
    }
  }
  return out.sort((a, b) => a.eventTime - b.eventTime);
}

function run(name: string, reqs: readonly SimRequest[], warmPerPool: number): void {
  // The fixed pool is never terminated here, so lift the managed idle limit (1 h) for the day.
  const sim = new Simulator(simulatorParams({ seed, managedIdleLimitMs: DAY }));
  for (const c of ['S', 'M', 'L'] as const) {
    if (warmPerPool > 0) sim.command({ commandId: `warm-${c}`, kind: 'LAUNCH', poolId: `py/${c}`, pool: { runtime: 'py', sizeClass: c }, vmId: null, count: warmPerPool, cpuCores: null, memoryMb: null, targetPoolId: null, preloadProfile: null, reason: { rule: 'bench', forecastRef: null, bound: null, text: 'fixed warm pool' }, dryRun: false, issuedAt: T0 });
  }
  const start = performance.now();
  for (const r of reqs) sim.request(r);
  sim.advanceTo(T0 + DAY);
  const ms = performance.now() - start;
  const t = sim.totals();
  console.log(JSON.stringify({
    name, requests: t.requests, coldStartPct: +((100 * t.coldStarts) / t.requests).toFixed(2), queued: t.queued,
    meanColdMs: Math.round(t.coldLatencyMsSum / Math.max(1, t.coldStarts)), idleVmMinutes: Math.round(t.idleVmSeconds / 60), cost: +t.cost.toFixed(2),
    requestsPerSec: Math.round(t.requests / (ms / 1000)),
  }));
}

const reqs = traffic();
run('prediction off (10-min keep-alive)', reqs, 0);
for (const k of [2, 5, 10]) run(`fixed warm pool ${k}/class`, reqs, k);
