// The whole core, fed like the shell feeds it: forecasts tick by tick, then pool outcomes.
import { describe, expect, it } from 'vitest';
import type { PoolOutcome } from '@warmcast/kit';
import { AggregatorCore } from '../../src/core/aggregator.ts';
import { DEFAULT_ANOMALY } from '../../src/core/anomaly.ts';
import { settings } from '../support/scenarios.ts';
import { forecastOf, poisson } from '../support/synthetic.ts';
import type { SynthUser } from '../support/synthetic.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const users: SynthUser[] = Array.from({ length: 100 }, (_, i) => ({ key: `u${i}`, dist: poisson(0.2), poolMix: { 'python3.12/M': 1 }, tier: 'STANDARD', cores: 1, mib: 512 }));

function core(): AggregatorCore {
  return new AggregatorCore({ ...settings(), tickMs: MIN, latenessMs: MIN, idlePartitionMs: 5 * MIN, anomaly: DEFAULT_ANOMALY });
}

function outcome(windowStart: number, busyVmSeconds: number): PoolOutcome {
  return {
    poolId: 'p1', pool: { runtime: 'python3.12', sizeClass: 'M' }, windowStart, windowEnd: windowStart + MIN, requests: 10, warmHits: 10, coldStarts: 0,
    coldLatencyMsSum: 0, queued: 0, idleVmSeconds: 0, busyVmSeconds, cost: 0, spotInterruptions: 0, adapter: 'simulator',
  };
}

describe('AggregatorCore', () => {
  it('publishes window 12:00 when 12:02 starts, with every user counted once despite a duplicate', () => {
    const c = core();
    for (const u of users) expect(c.onForecast(forecastOf(u, T0)).closed).toEqual([]);
    c.onForecast(forecastOf(users[0]!, T0)); // redelivered
    for (const u of users) expect(c.onForecast(forecastOf(u, T0 + MIN)).closed).toEqual([]);
    const { closed } = c.onForecast(forecastOf(users[0]!, T0 + 2 * MIN));
    expect(closed).toHaveLength(1);
    const d = closed[0]!.demand[0]!.value;
    expect(d.userCount).toBe(100);
    expect(d.mean).toBeCloseTo(20, 6); // 100 x Poisson(0.2)
    expect(closed[0]!.cluster[0]!.value.userCount).toBe(100);
    expect(c.counters).toMatchObject({ forecasts: 202, added: 201, replaced: 1, windowsClosed: 1 });
  });

  it('counts late forecasts and drops them', () => {
    const c = core();
    c.onForecast(forecastOf(users[0]!, T0));
    c.onForecast(forecastOf(users[0]!, T0 + 2 * MIN));
    expect(c.onForecast(forecastOf(users[1]!, T0)).status).toBe('late');
    expect(c.counters.late).toBe(1);
  });

  it('judges pool outcomes against the band of the covering window: unmatched before any window closed', () => {
    const c = core();
    expect(c.onOutcome(outcome(T0, 1200), T0 + 2 * MIN)).toBeNull();
    expect(c.counters.outcomesUnmatched).toBe(1);
    for (const u of users) c.onForecast(forecastOf(u, T0));
    const out = c.flush()[0]!.bands[0]!;
    // band of 100 x Poisson(0.2) at 0.9: ~[13, 27]
    expect(out.statistical.lower).toBeGreaterThan(10);
    expect(out.statistical.upper).toBeLessThan(30);
    expect(c.onOutcome(outcome(T0, 20 * 60), T0 + 2 * MIN)).toBeNull();
    const a = c.onOutcome(outcome(T0 + MIN, 60 * 60), T0 + 2 * MIN); // 60 busy instances
    expect(a).toMatchObject({ severity: 'CRITICAL', subjectKind: 'POOL', subjectId: 'p1', observed: 60 });
    expect(c.counters).toMatchObject({ outcomes: 3, outcomesUnmatched: 1, anomalies: 1 });
  });

  it('a pool that emptied is published as zero in the next window', () => {
    const c = core();
    c.onForecast(forecastOf(users[0]!, T0));
    c.flush();
    c.onForecast(forecastOf({ ...users[1]!, poolMix: { 'node20/S': 1 } }, T0 + MIN));
    const [w] = c.flush();
    expect(w?.demand.map((d) => [d.key, d.value.userCount])).toEqual([['node20/S', 1], ['python3.12/M', 0]]);
  });
});
