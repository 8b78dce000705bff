// Scenario tests with explicit event times (tick 60 s). T0 = 12:00:00 UTC.
import { describe, expect, it } from 'vitest';
import type { UserForecast } from '@warmcast/kit';
import { WindowBuffer } from '../../src/core/windows.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);

function f(user: string, tickTime: number, producedAt = tickTime + 1_000, p50 = 1): UserForecast {
  const q = { p10: 0, p50, p90: p50, p99: p50 };
  return {
    userKey: user, tickTime, horizons: [{ horizonMinutes: 5, requests: q, concurrentInstances: q, cpuCores: q, memoryMb: q, pAny: 1, concurrentMean: p50, concurrentVariance: 0 }],
    runtimeMix: {}, poolMix: { 'python3.12/M': 1 }, tier: 'STANDARD', priority: 0, requestNeed: null, model: 'test', producedAt,
  };
}

describe('WindowBuffer (tick 60 s, lateness 1 tick)', () => {
  it('window 12:00 stays open through 12:01 forecasts and closes at the first 12:02 one', () => {
    const w = new WindowBuffer(MIN, MIN);
    w.add(f('a', T0));
    w.add(f('b', T0));
    w.add(f('a', T0 + MIN));
    expect(w.closeDue()).toEqual([]);
    w.add(f('c', T0 + 2 * MIN));
    const closed = w.closeDue();
    expect(closed.map((c) => c.windowStart)).toEqual([T0]);
    expect(closed[0]?.forecasts.map((x) => x.userKey).sort()).toEqual(['a', 'b']);
    expect(w.openWindows()).toBe(2);
  });

  it('out of order within the lateness: a 12:00 forecast after 12:01 ones still counts', () => {
    const w = new WindowBuffer(MIN, MIN);
    w.add(f('a', T0 + MIN));
    expect(w.add(f('b', T0))).toBe('added');
    w.add(f('c', T0 + 2 * MIN));
    expect(w.closeDue()[0]?.forecasts.map((x) => x.userKey)).toEqual(['b']);
  });

  it('late: a forecast for a closed window is reported late and not kept', () => {
    const w = new WindowBuffer(MIN, MIN);
    w.add(f('a', T0));
    w.add(f('a', T0 + 2 * MIN));
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0]);
    expect(w.add(f('b', T0))).toBe('late');
    expect(w.add(f('b', T0 - 5 * MIN))).toBe('late');
    expect(w.flush().map((c) => c.windowStart)).toEqual([T0 + 2 * MIN]);
  });

  it('duplicates: the newest per user wins (by producedAt), a redelivered older one is ignored', () => {
    const w = new WindowBuffer(MIN, MIN);
    expect(w.add(f('a', T0, T0 + 1_000, 1))).toBe('added');
    expect(w.add(f('a', T0, T0 + 2_000, 3))).toBe('replaced');
    expect(w.add(f('a', T0, T0 + 1_000, 1))).toBe('stale');
    expect(w.add(f('a', T0, T0 + 2_000, 3))).toBe('replaced'); // same record redelivered: harmless
    const [closed] = w.flush();
    expect(closed?.forecasts).toHaveLength(1);
    expect(closed?.forecasts[0]?.horizons[0]?.concurrentMean).toBe(3);
  });

  it('tickTime inside the tick (12:00:30) belongs to window 12:00', () => {
    const w = new WindowBuffer(MIN, 0);
    w.add(f('a', T0 + 30_000));
    w.add(f('b', T0));
    expect(w.flush()).toEqual([expect.objectContaining({ windowStart: T0 })]);
  });

  it('lateness 0: a window closes as soon as the next tick appears; several close at once, oldest first', () => {
    const w = new WindowBuffer(MIN, 0);
    w.add(f('a', T0));
    w.add(f('a', T0 + MIN));
    w.add(f('a', T0 + 2 * MIN));
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0, T0 + MIN]);
    w.add(f('a', T0 + 10 * MIN));
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0 + 2 * MIN]);
  });

  it('flush closes everything; nothing is closed twice', () => {
    const w = new WindowBuffer(MIN, MIN);
    w.add(f('a', T0));
    w.add(f('a', T0 + MIN));
    expect(w.flush().map((c) => c.windowStart)).toEqual([T0, T0 + MIN]);
    expect(w.flush()).toEqual([]);
    expect(w.closeDue()).toEqual([]);
  });
});

describe('WindowBuffer across partitions (tick 60 s, lateness 0, idle partition 3 ticks)', () => {
  it('window 12:00 waits for the slowest partition, not the fastest', () => {
    const w = new WindowBuffer(MIN, 0, 3 * MIN);
    w.add(f('a', T0), 0);
    w.add(f('b', T0), 1);
    w.add(f('a', T0 + MIN), 0);
    w.add(f('a', T0 + 2 * MIN), 0); // partition 0 is two ticks ahead (reading a backlog)
    expect(w.closeDue()).toEqual([]);
    expect(w.add(f('c', T0), 1)).toBe('added'); // would have been late with one global maximum
    w.add(f('b', T0 + MIN), 1);
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0]);
  });

  it('an expected partition not seen yet holds windows back until it is idle (3 ticks behind)', () => {
    const w = new WindowBuffer(MIN, 0, 3 * MIN);
    w.expectPartitions([0, 1]);
    w.add(f('a', T0), 0);
    w.add(f('a', T0 + MIN), 0);
    w.add(f('a', T0 + 2 * MIN), 0);
    expect(w.closeDue()).toEqual([]); // partition 1 counts as at 11:59, 3 ticks behind: not idle yet
    w.add(f('a', T0 + 3 * MIN), 0);
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
  });

  it('a partition that went quiet stops holding windows back once idle, and counts again when it speaks', () => {
    const w = new WindowBuffer(MIN, 0, 3 * MIN);
    w.add(f('b', T0), 1);
    for (let t = 0; t <= 4; t++) w.add(f('a', T0 + t * MIN), 0);
    // partition 1 is at 12:00, 4 ticks behind 12:04: idle, so 12:00 .. 12:03 close
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    w.add(f('b', T0 + 4 * MIN), 1);
    w.add(f('a', T0 + 5 * MIN), 0);
    expect(w.closeDue()).toEqual([]); // partition 1 is current again and holds 12:04 back
    w.add(f('b', T0 + 5 * MIN), 1);
    expect(w.closeDue().map((c) => c.windowStart)).toEqual([T0 + 4 * MIN]);
  });
});

