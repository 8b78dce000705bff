import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '@warmcast/kit';
import { PartitionProfiler, isPartitionKey } from '../../src/core/partition-profiler.ts';
import type { TickOutput } from '../../src/core/partition-profiler.ts';
import { profilerOptions } from '../../src/core/options.ts';
import { generateEvents, START, userKeyOf } from '../fixtures/events.ts';

// small generations keep the model rebuilds cheap; horizons stay the defaults
const opts = profilerOptions({ generationMinutes: 180, scoreEveryTicks: 2, evictAfterMs: 6 * 3_600_000 });

function run(p: PartitionProfiler, events: readonly NormalizedEvent[], from = 0): TickOutput[] {
  const out: TickOutput[] = [];
  events.forEach((e, i) => { if (i >= from) out.push(...p.fold(e, i)); });
  return out;
}

/** outputs as comparable JSON (state bytes as text; deep-equal on Buffers is very slow) */
const canon = (ticks: readonly TickOutput[]): string => JSON.stringify(ticks.map((t) => ({ ...t, changelog: t.changelog.map((c) => ({ ...c, state: c.state.toString('utf8') })) })));

const accuracyByKey = (ticks: readonly TickOutput[]): Map<string, unknown> =>
  new Map(ticks.flatMap((t) => t.accuracy.map((a) => [`${a.userKey}@${a.tickTime}/${a.horizonMinutes}/${a.metric}`, a] as const)));

const forecastsByKey = (ticks: readonly TickOutput[]): Map<string, unknown> =>
  new Map(ticks.flatMap((t) => t.forecasts.map((f) => [`${f.userKey}@${f.tickTime}`, f] as const)));

function event(userKey: string, eventTime: number, n = 0): NormalizedEvent {
  return {
    eventId: `${userKey}-${eventTime}-${n}`, userKey, kind: 'REQUEST', requestId: `r-${eventTime}-${n}`, functionId: 'f', applicationId: null,
    runtime: 'python3.12', sizeClass: 'S', language: 'PYTHON', tier: 'PREMIUM', priority: 7, tags: {}, eventTime, metrics: null, codeFeatures: null, ingestedAt: eventTime,
  };
}

describe('PartitionProfiler', () => {
  it('ticks on event time only: a tick fires when the watermark (max event time - lateness) passes it', () => {
    const p = new PartitionProfiler(0, profilerOptions({ allowedLatenessMs: 5000 }));
    expect(p.fold(event('a', START + 10_000), 0)).toEqual([]);
    expect(p.fold(event('a', START + 64_999), 1)).toEqual([]); // watermark 59.999 s < 60 s
    const ticks = p.fold(event('a', START + 65_000), 2);
    expect(ticks.map((t) => t.tickTime)).toEqual([START + 60_000]);
    expect(ticks[0]?.sourceOffset).toBe(1); // the event that moved the watermark is folded after the tick
    expect(ticks[0]?.forecasts.map((f) => f.userKey)).toEqual(['a']);
    // 3 minutes later in one step: the ticks in between fire, in order
    expect(p.fold(event('a', START + 245_000), 3).map((t) => t.tickTime - START)).toEqual([120_000, 180_000, 240_000]);
  });

  it('publishes tier, priority, mixes, per-horizon quantiles and a per-request need', () => {
    const p = new PartitionProfiler(0, opts);
    const ticks = run(p, [event('a', START + 1000), event('a', START + 2000, 1), event('a', START + 70_000)]);
    const f = ticks[0]?.forecasts[0];
    expect(f?.horizons.map((h) => h.horizonMinutes)).toEqual([5, 15, 30, 120]);
    expect(f?.tier).toBe('PREMIUM');
    expect(f?.priority).toBe(7);
    expect(f?.runtimeMix).toEqual({ 'python3.12': 1 });
    expect(f?.poolMix).toEqual({ 'python3.12/S': 1 });
    expect(f?.requestNeed?.source).toBe('prior'); // no metrics, no code features
    expect(f?.producedAt).toBe(START + 60_000); // event time, not the wall clock
  });

  it('gives sane distributions on a generated day: ordered quantiles, consistent moments, mixes summing to 1', () => {
    const events = generateEvents({ users: 20, minutes: 300 });
    const ticks = run(new PartitionProfiler(0, opts), events);
    const forecasts = ticks.flatMap((t) => t.forecasts);
    expect(forecasts.length).toBeGreaterThan(1000);
    const sources = new Set<string>();
    // plain checks collected into one list (hundreds of thousands of expect() calls take ~50 s)
    const bad: string[] = [];
    const sum = (m: Record<string, number> | undefined): number => Object.values(m ?? {}).reduce((a, b) => a + b, 0);
    for (const f of forecasts) {
      let prevAny = 0;
      for (const h of f.horizons) {
        for (const q of [h.requests, h.concurrentInstances, h.cpuCores, h.memoryMb]) {
          if (!(q.p10 >= 0 && q.p10 <= q.p50 && q.p50 <= q.p90 && q.p90 <= q.p99)) bad.push(`quantiles ${JSON.stringify(q)}`);
        }
        if (!(h.pAny >= prevAny - 1e-12 && h.pAny <= 1)) bad.push(`pAny ${h.pAny} after ${prevAny}`);
        prevAny = h.pAny;
        const mean = h.concurrentMean ?? -1;
        const variance = h.concurrentVariance ?? -1;
        // the mean of the peak lies between P(any) x 1 and its largest value; variance >= 0
        if (!(mean >= h.pAny - 1e-9 && mean <= h.concurrentInstances.p99 / 0.01 && variance >= 0)) bad.push(`moments ${mean} ${variance}`);
      }
      if (Math.abs(sum(f.runtimeMix) - 1) > 1e-9 || Math.abs(sum(f.poolMix) - 1) > 1e-9) bad.push('mix sum');
      sources.add(f.requestNeed?.source ?? 'none');
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(sources).toContain('profile');
    // accuracy records exist and are well-formed
    const acc = ticks.flatMap((t) => t.accuracy);
    expect(acc.length).toBeGreaterThan(100);
    expect(new Set(acc.map((a) => a.metric))).toEqual(new Set(['requests', 'concurrent_instances', 'cpu_cores', 'memory_mb']));
    for (const a of acc) expect(a.scoredAt).toBe(a.tickTime + a.horizonMinutes * 60_000);
    // a timer user (kind 0, every 5 + u % 11 minutes) should be covered by its 80 % band most of the time
    const timer = acc.filter((a) => a.userKey === userKeyOf(0) && a.metric === 'requests' && a.horizonMinutes === 30);
    expect(timer.filter((a) => a.covered80).length / timer.length).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same input sequence gives the same outputs', () => {
    const events = generateEvents({ users: 8, minutes: 150, seed: 7 });
    const a = run(new PartitionProfiler(3, opts), events);
    const b = run(new PartitionProfiler(3, opts), events);
    expect(canon(b)).toBe(canon(a));
  });

  it('restored from its changelog mid-stream and fed again from an earlier offset, gives the same forecasts', () => {
    const events = generateEvents({ users: 12, minutes: 300, seed: 11 });
    const full = run(new PartitionProfiler(0, opts), events);
    // "crash" after the tick nearest the middle of the stream, with an older committed offset
    const cut = full[Math.floor(full.length / 2)] as TickOutput;
    const newest = new Map<string, TickOutput['changelog'][number]>();
    for (const t of full) {
      if (t.tickTime > cut.tickTime) break;
      for (const e of t.changelog) newest.set(e.userKey, e);
    }
    expect([...newest.keys()].some(isPartitionKey)).toBe(true);
    const restored = new PartitionProfiler(0, opts);
    restored.restore(newest.values());
    const committed = Math.max(0, cut.sourceOffset - 40); // replays 40 events already folded
    const after = run(restored, events, committed);
    expect(restored.counts.skipped).toBe(cut.sourceOffset + 1 - committed);
    const want = forecastsByKey(full.filter((t) => t.tickTime > cut.tickTime));
    const got = forecastsByKey(after);
    expect(got.size).toBe(want.size);
    expect(got).toEqual(want);
    const acc = (ts: readonly TickOutput[]): Map<string, unknown> => accuracyByKey(ts.filter((t) => t.tickTime > cut.tickTime));
    expect(acc(after).size).toBeGreaterThan(0);
    expect(acc(after)).toEqual(acc(full));
  });

  it('checkpoints each tick: changed users first (with source partition and offset), the partition entry last', () => {
    const p = new PartitionProfiler(5, opts);
    p.fold(event('b', START + 1000), 10);
    p.fold(event('a', START + 2000), 11);
    const [t] = p.fold(event('a', START + 70_000), 12);
    expect(t?.changelog.map((c) => [c.userKey, c.sourcePartition, c.sourceOffset])).toEqual([['a', 5, 11], ['b', 5, 10], ['__partition__/5', 5, 11]]);
    expect(t?.sourceOffset).toBe(11);
    expect(JSON.parse(t?.changelog[2]?.state.toString('utf8') ?? '{}')).toMatchObject({ nextTick: START + 120_000, lastOffset: 11 });
  });

  it('checkpoint() between any two folds (the shell, once per batch) restores to the same forecasts and accuracy', () => {
    const events = generateEvents({ users: 12, minutes: 300, seed: 13 });
    const full = run(new PartitionProfiler(0, opts), events);
    const live = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    const newest = new Map<string, TickOutput['changelog'][number]>();
    // "batches" of uneven sizes: checkpoints fall between ticks, mid-minute
    const cutAt = Math.floor(events.length * 0.55);
    let ticked = false;
    events.slice(0, cutAt).forEach((e, i) => {
      const ticks = live.fold(e, i);
      expect(ticks.every((t) => t.changelog.length === 0)).toBe(true); // nothing per tick in this mode
      ticked ||= ticks.length > 0;
      if (i % 37 === 36 && ticked) for (const c of live.checkpoint()?.changelog ?? []) newest.set(c.userKey, c);
    });
    const last = live.checkpoint();
    expect(last?.sourceOffset).toBe(cutAt - 1);
    for (const c of last?.changelog ?? []) newest.set(c.userKey, c);
    expect(live.checkpoint()).toBeUndefined(); // nothing folded since
    const restored = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    restored.restore(newest.values());
    const after = run(restored, events, cutAt - 25); // 25 re-delivered events are skipped
    const cutTick = Math.max(...full.filter((t) => t.sourceOffset < cutAt).map((t) => t.tickTime));
    const want = forecastsByKey(full.filter((t) => t.tickTime > cutTick));
    expect(forecastsByKey(after)).toEqual(want);
    expect(want.size).toBeGreaterThan(100);
    expect(accuracyByKey(after)).toEqual(accuracyByKey(full.filter((t) => t.tickTime > cutTick)));
  });

  it('writes a user on a tick only when its restorable state changed: a quiet active user only on the keep ticks', () => {
    const p = new PartitionProfiler(0, profilerOptions({ scoreEveryTicks: 5 }));
    p.fold(event('a', START + 1000), 0);
    const all = [...p.fold(event('b', START + 30 * 60_000 + 5000), 1), ...p.fold(event('b', START + 32 * 60_000 + 5000), 2)];
    const minute = (t: TickOutput): number => (t.tickTime - START) / 60_000;
    // a is forecast at every tick 1..32 ...
    expect(all.filter((t) => t.forecasts.some((f) => f.userKey === 'a')).map(minute)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    // ... but written at tick 1 (its minute 0 closed) and at the keep ticks (forecast kept, horizons scored) only
    expect(all.filter((t) => t.changelog.some((c) => c.userKey === 'a')).map(minute)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    // the partition entry is in every tick's checkpoint
    expect(all.every((t) => t.changelog.at(-1)?.userKey === '__partition__/0')).toBe(true);
  });

  it('counts an event behind a closed minute as late: in the profile, not in the minute counts', () => {
    const p = new PartitionProfiler(0, profilerOptions({ allowedLatenessMs: 0 }));
    p.fold(event('a', START + 1000), 0);
    p.fold(event('a', START + 61_000), 1); // tick at +60 s closes minute 0
    p.fold(event('a', START + 2000, 2), 2);
    expect(p.counts.late).toBe(1);
  });
});
