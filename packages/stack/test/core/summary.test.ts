import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from '../../src/core/summary.ts';
import type { StackSnapshot } from '../../src/core/summary.ts';

const snap = (at: number, requests: number, adapters: Record<string, number>): StackSnapshot => ({
  at, eventTime: Date.UTC(2019, 6, 15, 10, 30), publisher: { requests, metrics: requests }, ingest: { requests, metrics: requests, rejected: 2, undecodable: 1 },
  profiler: { usersTracked: 42, forecasts: 420 }, aggregator: { demandPublished: 16 }, scaler: { commandsPublished: 7 }, adapters, sink: { 'rows.forecasts': 400, 'rows.commands': 100, pendingRows: 7 },
});

describe('summarize', () => {
  it('rates events per wall second between two snapshots and takes cold-start % from the simulator', () => {
    const a = snap(10_000, 1000, { requests: 900, coldStarts: 9, warmHits: 891, idleVmMinutes: 10, cost: 0.5 });
    const b = snap(12_000, 3000, { requests: 2800, coldStarts: 14, warmHits: 2786, idleVmMinutes: 20, cost: 0.75, baselineColdStartPct: 1.25, baselineIdleVmMinutes: 12.5 });
    const s = summarize(b, a);
    expect(s.eventsPublished).toBe(6000);
    expect(s.eventsPerSec).toBe(2000); // (6000 - 2000) events over 2 s
    expect(s.coldStartPct).toBeCloseTo(0.5, 10); // 14 of 2800
    expect(s.idleVmMinutes).toBe(20);
    expect([s.deadLettered, s.users, s.forecasts, s.demandRecords, s.commands]).toEqual([3, 42, 420, 16, 7]);
    expect(s.rowsStored).toBe(500); // the sink's rows.<table> counters; this ingest reported none
    expect(formatSummary(s)).toBe('10:30 trace | 2,000 ev/s (6,000 sent, 6,000 ingested, 3 dead-lettered) | 42 users | 420 forecasts | 7 commands | cold 0.50 % of 2,800 (no prediction: 1.25 %) | idle 20.0 VM-min (no prediction: 12.5) | cost 0.7500');
  });

  it('reads missing counters as 0 and has no rate or cold-start % before there is data', () => {
    const s = summarize({ at: 1, eventTime: null, publisher: {}, ingest: {}, profiler: {}, aggregator: {}, scaler: {}, adapters: {}, sink: {} }, null);
    expect([s.eventsPerSec, s.coldStartPct, s.requestsServed]).toEqual([0, 0, 0]);
    expect(formatSummary(s)).toMatch(/^--:-- trace/);
  });
});
