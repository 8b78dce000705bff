// The core under a crash, without I/O: an input log on two partitions, fed to one core without
// interruption, and to a core that "crashes" after `cut` messages (its commits cut at the floor,
// their metadata = the newest published window, as the kit loop makes them) followed by a new
// core that restores that metadata and re-reads from the commits. Together they must publish
// every window exactly once, equal to the uninterrupted run.
//
// The log puts some users' forecasts for tick t - 1 after the tick t forecasts of their
// partition (within the lateness of 1 tick), so the re-read from the floor includes forecasts of
// windows already published: without restore() those come back as a partial duplicate window.
import { describe, expect, it } from 'vitest';
import type { UserForecast } from '@warmcast/kit';
import { AggregatorCore } from '../../src/core/aggregator.ts';
import type { WindowOutput } from '../../src/core/aggregate.ts';
import { DEFAULT_ANOMALY } from '../../src/core/anomaly.ts';
import { encodeCommitMetadata, restoreMetadata } from '../../src/core/offset-holds.ts';
import { settings } from '../support/scenarios.ts';
import { forecastOf, poisson } from '../support/synthetic.ts';
import type { SynthUser } from '../support/synthetic.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const TICKS = 6;
const PARTITIONS = 2;
const users: SynthUser[] = Array.from({ length: 20 }, (_, i) => ({ key: `u${i}`, dist: poisson(0.3 + i / 20), poolMix: { 'python3.12/M': 1 }, tier: 'STANDARD', cores: 1, mib: 512 }));
const lateUser = (i: number): boolean => i % 4 === 0; // 5 users send each tick's forecast after the next tick's batch

interface Entry { readonly partition: number; readonly offset: number; readonly f: UserForecast }

/** Per partition, in offset order: tick t's forecasts, then the late users' forecasts for t - 1. */
function log(): Entry[][] {
  const parts: Entry[][] = Array.from({ length: PARTITIONS }, () => []);
  const put = (i: number, tick: number): void => {
    const p = parts[i % PARTITIONS]!;
    p.push({ partition: i % PARTITIONS, offset: p.length, f: forecastOf(users[i]!, T0 + tick * MIN) });
  };
  for (let t = 0; t <= TICKS; t++) {
    users.forEach((_, i) => { if (t < TICKS && !lateUser(i)) put(i, t); });
    users.forEach((_, i) => { if (t >= 1 && lateUser(i)) put(i, t - 1); });
  }
  return parts;
}

/** Round robin over partitions, one message at a time, from `from[p]` on each. */
function arrival(parts: Entry[][], from: readonly number[] = []): Entry[] {
  const out: Entry[] = [];
  const at = parts.map((_, p) => from[p] ?? 0);
  for (let more = true; more;) {
    more = false;
    parts.forEach((entries, p) => {
      const e = entries[at[p]!];
      if (e !== undefined) { out.push(e); at[p]! += 1; more = true; }
    });
  }
  return out;
}

function core(): AggregatorCore {
  return new AggregatorCore({ ...settings(), tickMs: MIN, latenessMs: MIN, idlePartitionMs: 100 * MIN, anomaly: DEFAULT_ANOMALY });
}

/** A window as the scaler sees it: per pool x horizon, users, mean and band; cluster per horizon. */
function summary(w: WindowOutput): string {
  const r = (x: number): string => x.toFixed(9);
  return JSON.stringify({
    demand: w.demand.map((d) => [d.key, d.value.horizonMinutes, d.value.userCount, r(d.value.mean), d.value.lowerBound, d.value.upperBound]).sort(),
    cluster: w.cluster.map((c) => [c.value.horizonMinutes, c.value.userCount, r(c.value.cpuCoresMean)]).sort(),
  });
}

/** Feeds entries and "publishes" every closed window at once (acked), like the shell. */
function run(c: AggregatorCore, entries: readonly Entry[], published: Map<number, string[]>, done: number[] = []): void {
  const publish = (ws: readonly WindowOutput[]): void => {
    for (const w of ws) {
      published.set(w.windowStart, [...(published.get(w.windowStart) ?? []), summary(w)]);
      c.published(w.windowStart);
    }
  };
  for (const e of entries) {
    publish(c.onForecast(e.f, e.partition, e.offset).closed);
    done[e.partition] = e.offset + 1;
  }
}

describe('AggregatorCore across a crash (commit floor + restored publishedThrough)', () => {
  const parts = log();
  const all = arrival(parts);

  const uninterrupted = new Map<number, string[]>();
  const a = core();
  run(a, all, uninterrupted);
  for (const w of a.flush()) uninterrupted.set(w.windowStart, [summary(w)]);

  /** Crash after `cut` messages; returns what the first and the restarted core published. */
  function crashAt(cut: number, opts: { restore: boolean }): { published: Map<number, string[]>; commits: number[] } {
    const published = new Map<number, string[]>();
    const b = core();
    const done: number[] = [];
    run(b, all.slice(0, cut), published, done);
    // the commits the kit loop makes: min(next unfinished, floor), with the metadata of that moment
    const commits = parts.map((_, p) => Math.min(done[p] ?? 0, b.commitFloor(p) ?? Number.POSITIVE_INFINITY));
    const metadata = parts.map(() => encodeCommitMetadata(b.publishedThrough));
    // b is gone (SIGKILL); c starts from the commits
    const c = core();
    const through = restoreMetadata(metadata).publishedThrough;
    if (opts.restore && through !== undefined) c.restore(through);
    run(c, arrival(parts, commits), published);
    for (const w of c.flush()) published.set(w.windowStart, [...(published.get(w.windowStart) ?? []), summary(w)]);
    return { published, commits };
  }

  it('the log is what the scenario needs: 6 windows, none late, in the uninterrupted run', () => {
    expect([...uninterrupted.keys()]).toEqual(Array.from({ length: TICKS }, (_, t) => T0 + t * MIN));
    expect(a.counters.late).toBe(0);
  });

  it.each([37, 61, 88, 113])('killed after %i of 120 messages: every window published once, equal to the uninterrupted run', (cut) => {
    const { published, commits } = crashAt(cut, { restore: true });
    expect(commits.some((c, p) => c < (parts[p]?.length ?? 0))).toBe(true);
    expect(published).toEqual(uninterrupted);
  });

  it('the floor is what keeps open windows: committing every finished offset loses them', () => {
    const cut = 61;
    const b = core();
    const done: number[] = [];
    const published = new Map<number, string[]>();
    run(b, all.slice(0, cut), published, done);
    expect(b.openWindows()).toBeGreaterThan(0);
    const c = core();
    c.restore(b.publishedThrough!);
    run(c, arrival(parts, done), published); // commits at `done`, ignoring the floor
    for (const w of c.flush()) published.set(w.windowStart, [...(published.get(w.windowStart) ?? []), summary(w)]);
    expect(published).not.toEqual(uninterrupted);
  });

  it('without restore(), the re-read from the floor publishes a window a second time, incomplete', () => {
    const { published } = crashAt(61, { restore: false });
    const twice = [...published].filter(([, v]) => v.length > 1);
    expect(twice.length).toBeGreaterThan(0);
    for (const [t, v] of twice) expect(v[1]).not.toBe(uninterrupted.get(t)?.[0]);
  });

  it('replayed forecasts are counted, not late, and hold nothing', () => {
    const c = core();
    c.restore(T0 + MIN);
    const f = (i: number, tick: number): UserForecast => forecastOf(users[i]!, T0 + tick * MIN);
    expect(c.onForecast(f(1, 1), 0, 5).status).toBe('replayed');
    expect(c.onForecast(f(1, 0), 0, 6).status).toBe('replayed');
    expect(c.commitFloor(0)).toBeNull();
    expect(c.onForecast(f(1, 2), 0, 7).status).toBe('added');
    expect(c.commitFloor(0)).toBe(7);
    expect(c.counters).toMatchObject({ replayed: 2, late: 0, added: 1 });
    expect(c.publishedThrough).toBe(T0 + MIN); // carried into this run's commit metadata
  });

  it('a closed window not yet published keeps holding its offsets', () => {
    const c = core();
    const f = (i: number, tick: number): UserForecast => forecastOf(users[i]!, T0 + tick * MIN);
    c.onForecast(f(0, 0), 0, 0);
    c.onForecast(f(0, 1), 0, 1);
    const { closed } = c.onForecast(f(0, 2), 0, 2);
    expect(closed.map((w) => w.windowStart)).toEqual([T0]);
    expect(c.commitFloor(0)).toBe(0); // closed, send not acked yet
    c.published(T0);
    expect(c.commitFloor(0)).toBe(1);
  });
});
