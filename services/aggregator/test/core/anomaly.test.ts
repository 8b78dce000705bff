import { describe, expect, it } from 'vitest';
import type { PoolOutcome } from '@warmcast/kit';
import type { PoolBand } from '../../src/core/aggregate.ts';
import { DEFAULT_ANOMALY, DemandMemory, detectPoolAnomaly } from '../../src/core/anomaly.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const NOW = T0 + 10 * MIN;

function band(windowStart: number, b: { mean: number; lower: number; upper: number }, horizonMinutes = 5, poolKey = 'python3.12/M'): PoolBand {
  const bb = { ...b, variance: 0 };
  return { poolKey, pool: { runtime: 'python3.12', sizeClass: 'M' }, horizonMinutes, windowStart, windowEnd: windowStart + horizonMinutes * MIN, method: 'normal', published: bb, statistical: bb };
}

function outcome(windowStart: number, busyVmSeconds: number, poolId = 'sim-python3.12-M'): PoolOutcome {
  return {
    poolId, pool: { runtime: 'python3.12', sizeClass: 'M' }, windowStart, windowEnd: windowStart + MIN, requests: 0, warmHits: 0, coldStarts: 0,
    coldLatencyMsSum: 0, queued: 0, idleVmSeconds: 0, busyVmSeconds, cost: 0, spotInterruptions: 0, adapter: 'simulator',
  };
}

describe('detectPoolAnomaly (band mean 10, [6, 15])', () => {
  const b = band(T0, { mean: 10, lower: 6, upper: 15 });
  // observed = busyVmSeconds / 60: [busy VM-s, observed, severity or null]
  it.each([
    [600, 10, null],
    [900, 15, null], // on the bound: inside
    [360, 6, null],
    [960, 16, 'WARNING'], // d = 1 / 5 = 0.2
    [1260, 21, 'CRITICAL'], // d = 6 / 5 = 1.2 >= 1
    [1200, 20, 'CRITICAL'], // d = 5 / 5 = 1: from criticalDistance on
    [300, 5, 'WARNING'],
    [0, 0, 'WARNING'], // below: never more than WARNING (the mean of a minute can sit below the horizon's peak)
  ])('busy %d VM-s (observed %d) -> %s', (busy, observed, severity) => {
    const a = detectPoolAnomaly(outcome(T0, busy), { band: b }, DEFAULT_ANOMALY, NOW);
    if (severity === null) { expect(a).toBeNull(); return; }
    expect(a).toMatchObject({
      anomalyId: `pool:sim-python3.12-M:${T0}:concurrent_instances`, subjectKind: 'POOL', subjectId: 'sim-python3.12-M', metric: 'concurrent_instances',
      observed, expectedLower: 6, expectedUpper: 15, severity, forecastRef: `demand.pool.aggregated.v1/python3.12/M/5m@${T0}`, windowStart: T0, detectedAt: NOW,
    });
  });

  it('a pool predicted empty (no band): any busy instance is outside [0, 0]; distance in units of minScale (1 instance)', () => {
    expect(detectPoolAnomaly(outcome(T0, 30), { band: undefined }, DEFAULT_ANOMALY, NOW)).toMatchObject({ severity: 'WARNING', observed: 0.5, forecastRef: null });
    expect(detectPoolAnomaly(outcome(T0, 120), { band: undefined }, DEFAULT_ANOMALY, NOW)).toMatchObject({ severity: 'CRITICAL' });
    expect(detectPoolAnomaly(outcome(T0, 0), { band: undefined }, DEFAULT_ANOMALY, NOW)).toBeNull();
  });

  it('an empty or inverted window is not judged', () => {
    expect(detectPoolAnomaly({ ...outcome(T0, 5000), windowEnd: T0 }, { band: b }, DEFAULT_ANOMALY, NOW)).toBeNull();
  });

  it('published bounds on request', () => {
    const wide: PoolBand = { ...b, published: { mean: 10, variance: 0, lower: 2, upper: 25 } };
    expect(detectPoolAnomaly(outcome(T0, 1260), { band: wide }, DEFAULT_ANOMALY, NOW)?.severity).toBe('CRITICAL');
    expect(detectPoolAnomaly(outcome(T0, 1260), { band: wide }, { ...DEFAULT_ANOMALY, bounds: 'published' }, NOW)).toBeNull();
  });
});

describe('DemandMemory', () => {
  it('matches an outcome with the freshest closed window whose shortest horizon covers it', () => {
    const m = new DemandMemory(30 * MIN);
    m.remember(T0, [band(T0, { mean: 1, lower: 0, upper: 3 }), band(T0, { mean: 1, lower: 0, upper: 9 }, 15)]);
    m.remember(T0 + MIN, [band(T0 + MIN, { mean: 2, lower: 0, upper: 4 })]);
    // [12:02, 12:03) is covered by 12:00 (to 12:05) and 12:01 (to 12:06): the 12:01 one wins
    expect(m.lookup('python3.12/M', T0 + 2 * MIN, T0 + 3 * MIN)?.band?.published.upper).toBe(4);
    // [12:00, 12:01): only 12:00 covers it, with its 5-minute band (not the 15-minute one)
    expect(m.lookup('python3.12/M', T0, T0 + MIN)?.band?.published.upper).toBe(3);
    // [12:05, 12:06): 12:01 covers it
    expect(m.lookup('python3.12/M', T0 + 5 * MIN, T0 + 6 * MIN)?.window.windowStart).toBe(T0 + MIN);
    // [12:06, 12:07): nothing closed covers it yet
    expect(m.lookup('python3.12/M', T0 + 6 * MIN, T0 + 7 * MIN)).toBeUndefined();
    // a pool the covering window did not predict: matched, band undefined (predicted 0)
    expect(m.lookup('go1.22/L', T0 + 2 * MIN, T0 + 3 * MIN)).toEqual({ window: { windowStart: T0 + MIN, windowEnd: T0 + 6 * MIN }, band: undefined });
  });

  it('forgets windows older than retainMs before the newest', () => {
    const m = new DemandMemory(10 * MIN);
    m.remember(T0, [band(T0, { mean: 1, lower: 0, upper: 3 })]);
    m.remember(T0 + 11 * MIN, [band(T0 + 11 * MIN, { mean: 1, lower: 0, upper: 3 })]);
    expect(m.lookup('python3.12/M', T0, T0 + MIN)).toBeUndefined();
  });
});
