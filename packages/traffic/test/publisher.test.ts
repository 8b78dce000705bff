// publishTrace's pacing and batching with a hand-written producer and a manual clock
// (no broker here; test/integration/publisher.test.ts uses the real one).
import { describe, expect, it } from 'vitest';
import type { Trace } from '@warmcast/forecast';
import { publishTrace } from '../src/publisher.ts';
import type { WallClock } from '../src/clock.ts';

interface Sent { topic: string; at: number; times: number[]; keys: (string | null)[] }

function manualClock(start = 1_000_000): WallClock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

function recorder(clock: WallClock): { sent: Sent[]; send: (topic: string, msgs: readonly { key: string | null; value: { eventTime?: number; finishedAt?: number } }[]) => Promise<void> } {
  const sent: Sent[] = [];
  return {
    sent,
    send: async (topic, msgs) => {
      sent.push({ topic, at: clock.now(), times: msgs.map((m) => m.value.eventTime ?? m.value.finishedAt ?? NaN), keys: msgs.map((m) => m.key) });
    },
  };
}

// 2 functions, 10 minutes, 6 requests per minute each; 2 s runs
const trace: Trace = {
  layout: 'day', minutes: 10, startMinuteOfDay: 0,
  functions: [
    { id: 'f1', user: 'u1', app: 'a1', memoryMb: 128, durationSec: 2 },
    { id: 'f2', user: 'u2', app: 'a2', memoryMb: 128, durationSec: 2 },
  ],
  counts: [new Int32Array(10).fill(6), new Int32Array(10).fill(6)],
};

describe('publishTrace', () => {
  it('at speed 60 sends every event no earlier than its due wall time, and a minute takes ~1 s', async () => {
    const clock = manualClock();
    const rec = recorder(clock);
    const start = Date.UTC(2026, 0, 1);
    const res = await publishTrace({ producer: rec as never, trace, speed: 60, startEpochMs: start, clock });
    expect(res.requests).toBe(120);
    expect(res.metrics).toBe(120);
    expect(res.aborted).toBe(false);
    for (const s of rec.sent) for (const t of s.times) expect(s.at).toBeGreaterThanOrEqual(1_000_000 + (t - start) / 60 - 1e-6);
    // the last metrics finish ~2 s after minute 10 starts: ~10 s of wall time at 60x
    expect(res.wallMs).toBeGreaterThan(9_900);
    expect(res.wallMs).toBeLessThan(10_100);
    // batches span at most 100 ms of wall time = 6 s of trace time
    for (const s of rec.sent) expect((s.times.at(-1) ?? 0) - (s.times[0] ?? 0)).toBeLessThanOrEqual(6_000);
    expect(new Set(rec.sent.map((s) => s.topic))).toEqual(new Set(['exec.request.received.v1', 'exec.metrics.reported.v1']));
    expect(rec.sent.flatMap((s) => s.keys).every((k) => k === 'u1' || k === 'u2')).toBe(true);
  });

  it('at speed Infinity never waits and batches by size; limit and metrics:false apply', async () => {
    const clock = manualClock();
    const rec = recorder(clock);
    const progress: number[] = [];
    const res = await publishTrace({ producer: rec as never, trace, speed: Infinity, limit: 4, metrics: false, batchSize: 5, clock, startEpochMs: 0, onProgress: (p) => progress.push(p.minute) });
    expect(clock.t).toBe(1_000_000);
    expect(res).toMatchObject({ requests: 48, metrics: 0, minutes: 4, batches: 12 });
    expect(rec.sent.every((s) => s.topic === 'exec.request.received.v1' && s.times.length <= 5)).toBe(true);
    expect(progress).toEqual([0, 1, 2, 3]);
  });

  it('stops at the abort signal and says so', async () => {
    const clock = manualClock();
    const rec = recorder(clock);
    const ac = new AbortController();
    const res = await publishTrace({ producer: rec as never, trace, speed: 60, clock, signal: ac.signal, onProgress: (p) => { if (p.minute === 1) ac.abort(); } });
    expect(res.aborted).toBe(true);
    expect(res.requests).toBeLessThanOrEqual(30);
    expect(res.requests).toBeGreaterThanOrEqual(24);
  });

  it.each([[-1], [NaN]])('rejects speed %s', async (speed) => {
    await expect(publishTrace({ producer: recorder(manualClock()) as never, trace, speed })).rejects.toThrow(/speed/);
  });
});
