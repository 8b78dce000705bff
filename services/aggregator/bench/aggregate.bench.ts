// How long closing one window takes (the pure part of window close -> publish):
//   node --import tsx services/aggregator/bench/aggregate.bench.ts [users...]
// Users: a mix of Poisson, Bernoulli x geometric and Bernoulli x Pareto, 4 horizons, spread
// over 8 pools (30 % split across two), profiler moments present.
import { performance } from 'node:perf_hooks';
import type { UserForecast } from '@warmcast/kit';
import { aggregateWindow } from '../src/core/aggregate.ts';
import { parseAggregatorSettings } from '../src/settings.ts';
import { bernoulliGeometric, forecastOf, heavyTail, poisson, prng } from '../test/support/synthetic.ts';

const POOLS = ['python3.12/XS', 'python3.12/S', 'python3.12/M', 'python3.12/L', 'node20/S', 'node20/M', 'go1.22/M', 'java21/L'];
const settings = parseAggregatorSettings();

function population(n: number): UserForecast[] {
  const rand = prng(n);
  return Array.from({ length: n }, (_, i) => {
    const dist = i % 3 === 0 ? poisson(0.05 + 2 * rand()) : i % 3 === 1 ? bernoulliGeometric(0.05 + 0.45 * rand(), 1 + 3 * rand()) : heavyTail(0.02 + 0.2 * rand(), 2.5, 100);
    const a = POOLS[Math.floor(rand() * POOLS.length)] as string;
    const b = POOLS[Math.floor(rand() * POOLS.length)] as string;
    const poolMix = rand() < 0.7 || a === b ? { [a]: 1 } : { [a]: 0.6, [b]: 0.4 };
    return forecastOf({ key: `u${i}`, dist, poolMix, tier: 'STANDARD', cores: 1, mib: 512 }, 0, { horizons: [5, 15, 30, 120] });
  });
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length > 0 ? sizes : [100, 1_000, 10_000]) {
  const forecasts = population(n);
  const runs: number[] = [];
  let out;
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    out = aggregateWindow({ windowStart: 0, forecasts }, settings, new Set());
    runs.push(performance.now() - t);
  }
  runs.sort((x, y) => x - y);
  console.log(JSON.stringify({ users: n, demandRecords: out?.demand.length, exact: out?.counts.exact, normal: out?.counts.normal, medianMs: Number(runs[3]?.toFixed(1)), maxMs: Number(runs[6]?.toFixed(1)) }));
}
