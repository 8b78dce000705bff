import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '@warmcast/kit';
import { SimulatorAdapter, toSimRequest } from '../src/simulator-adapter.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
const event = (o: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  eventId: 'e1', userKey: 'ab'.repeat(32), kind: 'PAIRED', requestId: 'r1', functionId: 'f', applicationId: null, runtime: 'python3.12', sizeClass: 'M', language: null, tier: null,
  priority: 4, tags: {}, eventTime: T0, metrics: { durationMs: 1234, cpuMs: 1, cpuCores: 1, memoryPeakMb: 1, ioBytes: 0, netBytes: 0, gpuMs: null, coldStart: null, startLatencyMs: 0 },
  codeFeatures: null, ingestedAt: T0, ...o,
});

describe('toSimRequest', () => {
  it('maps a PAIRED event: duration from metrics, priority kept', () => {
    expect(toSimRequest(event())).toEqual({ requestId: 'r1', userKey: 'ab'.repeat(32), runtime: 'python3.12', sizeClass: 'M', priority: 4, eventTime: T0, durationMs: 1234 });
  });

  it('REQUEST-only: no duration (the default applies); null priority is 0; priority clamped to 0-9', () => {
    expect(toSimRequest(event({ kind: 'REQUEST', metrics: null, priority: null }))).toMatchObject({ durationMs: null, priority: 0 });
    expect(toSimRequest(event({ priority: 42 }))?.priority).toBe(9);
  });

  it.each([
    ['METRICS-only', { kind: 'METRICS' }],
    ['UNKNOWN kind', { kind: 'UNKNOWN' }],
    ['no runtime', { runtime: null }],
    ['no size class', { sizeClass: null }],
    ['size class UNKNOWN', { sizeClass: 'UNKNOWN' }],
  ] as const)('%s is not a request', (_n, o) => {
    expect(toSimRequest(event(o as Partial<NormalizedEvent>))).toBeNull();
  });
});

describe('SimulatorAdapter', () => {
  it('counts ignored events and places requests', async () => {
    const a = new SimulatorAdapter({ boot: { medianMs: 1000, sigma: 0 } });
    await a.observe(event({ kind: 'METRICS' }));
    await a.observe(event());
    expect(a.totals()).toMatchObject({ ignoredEvents: 1, requests: 1, coldStarts: 1, coldLatencyMsSum: 1000 });
    expect(await a.report()).toEqual([expect.objectContaining({ poolId: 'python3.12/M', warming: 1, adapter: 'simulator' })]);
  });

  it('runs the same requests with prediction switched off alongside (baseline totals)', async () => {
    const a = new SimulatorAdapter({ boot: { medianMs: 1000, sigma: 0 }, keepAliveMs: 600_000 });
    await a.apply({ commandId: 'c1', kind: 'LAUNCH', poolId: 'python3.12/M', pool: { runtime: 'python3.12', sizeClass: 'M' }, vmId: null, count: 1, cpuCores: null, memoryMb: null, targetPoolId: null, preloadProfile: null, reason: { rule: 't', forecastRef: null, bound: null, text: 't' }, dryRun: false, issuedAt: T0 });
    // Every 15 minutes: past the 10-minute keep-alive, so without the launched VM each one is cold.
    for (let i = 0; i < 4; i++) await a.observe(event({ requestId: `r${i}`, eventTime: T0 + 60_000 + i * 900_000 }));
    expect(a.totals()).toMatchObject({ requests: 4, coldStarts: 0 });
    expect(a.baselineTotals()).toMatchObject({ requests: 4, coldStarts: 4, commandsApplied: 0 });
    expect(new SimulatorAdapter({}, false).baselineTotals()).toBeNull();
  });
});
