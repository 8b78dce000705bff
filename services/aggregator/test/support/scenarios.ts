// Scenarios shared by the sampling tests: synthetic populations, their simulated pool
// totals, and the aggregator's bands for them.
import type { AggregateSettings, WindowOutput } from '../../src/core/aggregate.ts';
import { aggregateWindow } from '../../src/core/aggregate.ts';
import { DEFAULT_WEIGHTS } from '../../src/core/weights.ts';
import type { SynthUser } from './synthetic.ts';
import { bernoulliGeometric, binomialDraw, forecastOf, gammaMeanOne, heavyTail, negativeBinomial, poisson, poissonDraw, prng, sampler } from './synthetic.ts';

export const POOL_A = 'python3.12/M';
export const POOL_B = 'node20/S';
export const TICK = Date.UTC(2026, 10, 23, 12, 0);

export function settings(over: Partial<AggregateSettings> = {}): AggregateSettings {
  return { confidence: 0.9, correlation: 0, exactMaxUsers: 50, dominantShare: 0.25, smallMean: 10, exactBudget: 4_000_000, weights: DEFAULT_WEIGHTS, cluster: 'test', ...over };
}

/** 70 % of users in POOL_A only, 30 % split 0.6 / 0.4 between POOL_A and POOL_B. */
function mix(rand: () => number): Record<string, number> {
  return rand() < 0.7 ? { [POOL_A]: 1 } : { [POOL_A]: 0.6, [POOL_B]: 0.4 };
}

export function mixedUsers(n: number, seed: number): SynthUser[] {
  const rand = prng(seed);
  const users: SynthUser[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const dist = kind === 0 ? poisson(0.05 + 1.95 * rand())
      : kind === 1 ? bernoulliGeometric(0.05 + 0.45 * rand(), 1 + 3 * rand())
      : heavyTail(0.02 + 0.18 * rand(), 2.5, 100);
    users.push({ key: `u${i}`, dist, poolMix: mix(rand), tier: 'STANDARD', cores: 0.5 + rand(), mib: 256 + Math.floor(768 * rand()) });
  }
  return users;
}

export function heavyFewUsers(seed: number): SynthUser[] {
  const rand = prng(seed);
  const users: SynthUser[] = [];
  for (let i = 0; i < 12; i++) {
    const dist = i < 8 ? heavyTail(0.1 + 0.3 * rand(), 2.2, 200) : bernoulliGeometric(0.2 + 0.5 * rand(), 2 + 4 * rand());
    users.push({ key: `h${i}`, dist, poolMix: { [POOL_A]: 1 }, tier: 'STANDARD', cores: 1, mib: 1024 });
  }
  return users;
}

/** Poisson(lambda_i G) with one shared G ~ Gamma(mean 1, var 1/k): a common busy-period factor. */
export function correlatedUsers(n: number, seed: number, k: number): { users: SynthUser[]; lambdas: number[]; rho: number } {
  const rand = prng(seed);
  const lambdas = Array.from({ length: n }, () => 0.1 + 1.4 * rand());
  const users = lambdas.map((l, i): SynthUser => ({ key: `c${i}`, dist: negativeBinomial(l, k), poolMix: { [POOL_A]: 1 }, tier: 'STANDARD', cores: 1, mib: 512 }));
  // Cov(X_i, X_j) = lambda_i lambda_j / k; sd_i = sqrt(lambda_i + lambda_i^2 / k). The one rho that
  // makes rho sum_{i != j} sd_i sd_j equal the true covariance sum:
  const sd = lambdas.map((l) => Math.sqrt(l + (l * l) / k));
  const sumL = lambdas.reduce((a, b) => a + b, 0);
  const sumL2 = lambdas.reduce((a, b) => a + b * b, 0);
  const sumS = sd.reduce((a, b) => a + b, 0);
  const sumS2 = sd.reduce((a, b) => a + b * b, 0);
  const rho = (sumL * sumL - sumL2) / k / (sumS * sumS - sumS2);
  return { users, lambdas, rho };
}

export interface Simulated {
  /** Sorted simulated totals per pool. */
  readonly pools: Map<string, number[]>;
  /** Sorted simulated totals over all pools (per draw, not the sum of the sorted lists). */
  readonly total: number[];
  readonly cpu: number[];
  readonly mib: number[];
}

/** Independent draws per user (or Poisson(lambda G) with a shared G when `shared` is given), split into pools by thinning. */
export function simulate(users: readonly SynthUser[], draws: number, seed: number, shared?: { lambdas: readonly number[]; k: number }): Simulated {
  const rand = prng(seed);
  const samplers = users.map((u) => sampler(u.dist));
  const pools = new Map<string, number[]>();
  const total: number[] = [];
  const cpu: number[] = [];
  const mib: number[] = [];
  for (let d = 0; d < draws; d++) {
    const g = shared === undefined ? 1 : gammaMeanOne(rand, shared.k);
    const totals = new Map<string, number>();
    let c = 0;
    let m = 0;
    users.forEach((u, i) => {
      const x = shared === undefined ? (samplers[i] as (r: () => number) => number)(rand) : poissonDraw(rand, (shared.lambdas[i] as number) * g);
      c += x * u.cores;
      m += x * u.mib;
      let left = x;
      const entries = Object.entries(u.poolMix);
      let rest = 1;
      entries.forEach(([pool, s], j) => {
        const y = j === entries.length - 1 ? left : binomialDraw(rand, left, s / rest);
        rest -= s;
        left -= y;
        totals.set(pool, (totals.get(pool) ?? 0) + y);
      });
    });
    for (const pool of new Set(users.flatMap((u) => Object.keys(u.poolMix)))) {
      const list = pools.get(pool) ?? [];
      list.push(totals.get(pool) ?? 0);
      pools.set(pool, list);
    }
    total.push([...totals.values()].reduce((a, b) => a + b, 0));
    cpu.push(c);
    mib.push(m);
  }
  for (const list of pools.values()) list.sort((a, b) => a - b);
  total.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  mib.sort((a, b) => a - b);
  return { pools, total, cpu, mib };
}

export function aggregate(users: readonly SynthUser[], s: AggregateSettings, opts: { moments?: boolean } = {}): WindowOutput {
  return aggregateWindow({ windowStart: TICK, forecasts: users.map((u) => forecastOf(u, TICK, opts)) }, s, new Set());
}

/** Share of sorted samples below `lower` and above `upper`. */
export function tails(sorted: readonly number[], lower: number, upper: number): { below: number; above: number } {
  let below = 0;
  let above = 0;
  for (const x of sorted) {
    if (x < lower) below += 1;
    else if (x > upper) above += 1;
  }
  return { below: below / sorted.length, above: above / sorted.length };
}
