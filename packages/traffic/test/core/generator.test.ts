// The generator on the bundled sample: determinism, counts, order and field ranges.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { topicSpec, Topics } from '@warmcast/kit';
import type { Trace } from '@warmcast/forecast';
import { generateTraffic, MINUTE_MS, type MinuteEvents, type TrafficEvent } from '../../src/core/generator.ts';
import { quantile } from '../../src/core/profile.ts';
import { SIZE_CLASSES } from '../../src/core/traits.ts';
import { loadTrafficTrace } from '../../src/load.ts';
import { SAMPLE_TRACE_DIR } from '../../src/sample.ts';

const sample = loadTrafficTrace(SAMPLE_TRACE_DIR);
const START = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
const MINUTES = 90;

function run(opts: Partial<Parameters<typeof generateTraffic>[1]> = {}, source = sample): MinuteEvents[] {
  return [...generateTraffic(source, { startEpochMs: START, toMinute: MINUTES, ...opts })];
}
const all = run();
const events: TrafficEvent[] = all.flatMap((m) => m.events);
const requests = events.flatMap((e) => (e.kind === 'request' ? [e.value] : []));
const metrics = events.flatMap((e) => (e.kind === 'metrics' ? [e.value] : []));
const digest = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe('generateTraffic on the bundled sample', () => {
  it('is byte-identical on a second run', () => {
    expect(digest(run())).toBe(digest(all));
  });

  it('emits exactly the trace counts per minute, and one metrics event per request', () => {
    for (let t = 0; t < MINUTES; t++) {
      const expected = sample.trace.counts.reduce((s, c) => s + (c[t] ?? 0), 0);
      const got = requests.filter((r) => r.eventTime >= START + t * MINUTE_MS && r.eventTime < START + (t + 1) * MINUTE_MS).length;
      expect(got, `minute ${t}`).toBe(expected);
    }
    expect(requests.length).toBeGreaterThan(1000);
    expect(metrics.length).toBe(requests.length);
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(requests.length);
    expect(new Set(metrics.map((m) => m.requestId))).toEqual(new Set(requests.map((r) => r.requestId)));
  });

  it('keeps event-time order across functions and puts each event in its own minute', () => {
    for (let i = 1; i < events.length; i++) expect((events[i] as TrafficEvent).time).toBeGreaterThanOrEqual((events[i - 1] as TrafficEvent).time);
    for (const m of all) for (const e of m.events) expect(Math.floor((e.time - START) / MINUTE_MS)).toBe(m.minute);
    expect(all.at(-1)?.minute).toBeGreaterThanOrEqual(MINUTES - 1);
  });

  it('produces values the Avro schemas accept', () => {
    const reqType = avro.Type.forSchema(JSON.parse(topicSpec(Topics.execRequestReceived).schemaText) as avro.Schema);
    const metType = avro.Type.forSchema(JSON.parse(topicSpec(Topics.execMetricsReported).schemaText) as avro.Schema);
    for (const r of requests.slice(0, 2000)) expect(reqType.isValid(r), JSON.stringify(r)).toBe(true);
    for (const m of metrics.slice(0, 2000)) expect(metType.isValid(m), JSON.stringify(m)).toBe(true);
  });

  it('draws fields in range and consistently per function and user', () => {
    const fnIndex = new Map(sample.trace.functions.map((f, i) => [f.id, i]));
    const perFunction = new Map<string, string>();
    const perUser = new Map<string, string>();
    for (const r of requests) {
      expect(r.userId).toBe(sample.trace.functions[fnIndex.get(r.functionId) ?? -1]?.user);
      expect(r.priority).toBeGreaterThanOrEqual(0);
      expect(r.priority).toBeLessThanOrEqual(9);
      expect(['python3.12', 'node20', 'go1.22', 'java21']).toContain(r.runtime);
      const lang = { 'python3.12': ['PYTHON'], node20: ['JAVASCRIPT', 'TYPESCRIPT'], 'go1.22': ['GO'], java21: ['JAVA'] }[r.runtime];
      expect(lang).toContain(r.language);
      expect(r.codeMetrics).toBeNull();
      expect(r.producedAt).toBe(r.eventTime);
      const fn = `${r.runtime}|${r.sizeClass}|${r.language}|${r.codeRef}|${r.sourceText ?? ''}`;
      expect(perFunction.get(r.functionId) ?? fn).toBe(fn);
      perFunction.set(r.functionId, fn);
      const user = `${r.tier}|${r.priority}`;
      expect(perUser.get(r.userId) ?? user).toBe(user);
      perUser.set(r.userId, user);
    }
    const classMemory = new Map(SIZE_CLASSES.map((c) => [c.name as string, c.memoryMb]));
    const byId = new Map(requests.map((r) => [r.requestId, r]));
    for (const m of metrics) {
      const r = byId.get(m.requestId);
      if (r === undefined) throw new Error(`metrics without request ${m.requestId}`);
      const profile = sample.profiles[fnIndex.get(m.functionId) ?? -1];
      if (profile === undefined) throw new Error('no profile');
      expect(m.durationMs).toBeGreaterThanOrEqual(Math.max(1, Math.floor(quantile(profile.durationMs, 0))));
      expect(m.durationMs).toBeLessThanOrEqual(Math.max(1, Math.ceil(quantile(profile.durationMs, 1))));
      expect(m.finishedAt).toBe(r.eventTime + m.durationMs);
      expect(m.start).toBe('UNKNOWN');
      expect(m.cpuMs).toBeLessThanOrEqual(Math.round(m.durationMs * m.cpuCores));
      expect(m.memoryPeakMb).toBeLessThanOrEqual(r.sizeClass === 'GPU' ? 8192 : (classMemory.get(r.sizeClass ?? '') ?? 0));
      expect(m.memoryPeakMb).toBeGreaterThan(0);
      expect(m.gpuMs === null).toBe(r.sizeClass !== 'GPU');
      for (const b of [m.ioReadBytes, m.ioWriteBytes, m.netInBytes, m.netOutBytes]) expect(Number.isInteger(b) && b >= 0).toBe(true);
    }
  });

  it('sizes each function to hold its p99 memory (GPU aside)', () => {
    for (let f = 0; f < sample.trace.functions.length; f++) {
      const first = requests.find((r) => r.functionId === sample.trace.functions[f]?.id);
      if (first === undefined || first.sizeClass === 'GPU') continue;
      const mb = SIZE_CLASSES.find((c) => c.name === first.sizeClass)?.memoryMb ?? 0;
      expect(mb >= quantile(sample.profiles[f]?.memoryMb ?? [[0, 0]], 0.99) || first.sizeClass === 'XL').toBe(true);
    }
  });

  it('sends source text for some Python/JS/TS functions and none for Go/Java', () => {
    const withSource = new Set(requests.filter((r) => r.sourceText !== null).map((r) => r.functionId));
    expect(withSource.size).toBeGreaterThan(5);
    for (const r of requests) if (r.language === 'GO' || r.language === 'JAVA') expect(r.sourceText).toBeNull();
    const py = requests.find((r) => r.sourceText !== null && r.language === 'PYTHON');
    expect(py?.sourceText).toMatch(/^import |^from /m);
    expect(py?.sourceText).toMatch(/def handler\(event, context\):/);
  });

  it('maps minute 0 to startEpochMs: a later start shifts every time and changes the ids', () => {
    const later = run({ startEpochMs: START + 7 * MINUTE_MS, toMinute: 3 }).flatMap((m) => m.events);
    const early = run({ toMinute: 3 }).flatMap((m) => m.events);
    expect(later.map((e) => e.time - 7 * MINUTE_MS)).toEqual(early.map((e) => e.time));
    expect(later[0]?.kind === 'request' && early[0]?.kind === 'request' && later[0].value.requestId !== early[0].value.requestId).toBe(true);
    expect(early[0]?.time).toBeGreaterThanOrEqual(START);
  });

  it('metrics: false emits requests only; fromMinute starts later', () => {
    const only = run({ metrics: false, fromMinute: 30, toMinute: 35 }).flatMap((m) => m.events);
    expect(only.every((e) => e.kind === 'request')).toBe(true);
    expect(only.length).toBe(requests.filter((r) => r.eventTime >= START + 30 * MINUTE_MS && r.eventTime < START + 35 * MINUTE_MS).length);
    expect(only[0]?.time).toBeGreaterThanOrEqual(START + 30 * MINUTE_MS);
  });
});

describe('generateTraffic on a bare Trace', () => {
  const trace: Trace = {
    layout: '8h', minutes: 2, startMinuteOfDay: 480,
    functions: [{ id: 'f1', user: 'u1', app: 'a1', trigger: 'timer', memoryMb: 300, durationSec: 90 }],
    counts: [Int32Array.from([3, 0])],
  };
  const out = [...generateTraffic(trace, { startEpochMs: 0 })];

  it('spreads n requests one per 60/n-second stripe and uses the average as a point mass', () => {
    const req = out.flatMap((m) => m.events).filter((e) => e.kind === 'request');
    expect(req.map((e) => Math.floor(e.time / 20_000))).toEqual([0, 1, 2]);
    const met = out.flatMap((m) => m.events).flatMap((e) => (e.kind === 'metrics' ? [e.value] : []));
    expect(met.map((m) => m.durationMs)).toEqual([90_000, 90_000, 90_000]);
    // 90 s runs finish in minutes 1 and 2: past the trace's last slot, still emitted in order
    expect(out.map((m) => [m.minute, m.requests])).toEqual([[0, 3], [1, 0], [2, 0]]);
    expect(out.map((m) => m.metrics)).toEqual(met.map((m) => m.finishedAt).reduce((acc, t) => {
      acc[Math.floor(t / MINUTE_MS)]! += 1;
      return acc;
    }, [0, 0, 0]));
    expect(out[0]?.metrics).toBe(0);
    expect(req[0]?.kind === 'request' && req[0].value.tags).toEqual({ trace: 'azure-functions-2019-8h', trigger: 'timer' });
  });

  it('rejects a fromMinute past toMinute', () => {
    expect(() => [...generateTraffic(trace, { startEpochMs: 0, fromMinute: 3 })]).toThrow(RangeError);
  });
});
