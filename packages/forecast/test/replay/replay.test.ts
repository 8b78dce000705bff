import { describe, expect, it } from 'vitest';
import { formatReportTable, runReplay } from '../../src/replay/replay.ts';
import { frontierSvg } from '../../src/replay/frontier-plot.ts';
import { smallTrace } from './helpers.ts';

const rows = [
  Array.from({ length: 120 }, (_, t) => (t % 6 === 0 ? 1 : 0)),
  Array.from({ length: 120 }, (_, t) => (t % 2 === 0 ? 30 : 5)),
  Array.from({ length: 120 }, (_, t) => (t === 20 || t === 90 ? 1 : 0)),
];

describe('runReplay', () => {
  const clock = ((): (() => number) => {
    let ms = 0;
    return () => (ms += 5);
  })();

  it('runs the baselines and the knob sweep, relative to fixed 10', () => {
    const rep = runReplay(smallTrace(rows), { warmup: 60, policy: 'all', risks: [0.05, 0.3], clockMs: clock });
    expect(rep.results.map((r) => r.policy)).toEqual([
      'fixed-1', 'fixed-5', 'fixed-10', 'fixed-20', 'fixed-30', 'fixed-60', 'fixed-120', 'fixed-240', 'hybrid', 'warmcast', 'warmcast',
    ]);
    const f10 = rep.results.find((r) => r.policy === 'fixed-10');
    expect(f10?.memoryVsFixed10).toBe(1);
    // the injected clock advances 5 ms per call: each policy took exactly one tick
    expect(f10?.seconds).toBeCloseTo(0.005, 12);
    const w = rep.results.filter((r) => r.family === 'warmcast');
    // a lower risk never warms less
    expect(w[0]?.wastedGbMinutes ?? 0).toBeGreaterThanOrEqual(w[1]?.wastedGbMinutes ?? 0);
    expect(formatReportTable(rep).split('\n')).toHaveLength(12);
  });

  it('selects single policies and rejects unknown names and warm-ups', () => {
    expect(runReplay(smallTrace(rows), { warmup: 60, policy: 'hybrid', risks: [], clockMs: clock }).results).toHaveLength(1);
    expect(runReplay(smallTrace(rows), { warmup: 60, policy: 'fixed-30', risks: [], clockMs: clock }).results[0]?.parameter).toBe(30);
    expect(() => runReplay(smallTrace(rows), { warmup: 60, policy: 'lru', risks: [], clockMs: clock })).toThrow(/unknown policy/);
    expect(() => runReplay(smallTrace(rows), { warmup: 120, policy: 'all', risks: [], clockMs: clock })).toThrow(RangeError);
  });
});

describe('frontierSvg', () => {
  it('draws one polyline per multi-point series and a point per result', () => {
    const svg = frontierSvg('t <1>', [
      { name: 'a', color: '#f00', points: [{ memoryVsFixed10: 0.5, coldStartPct: 2, label: 'x' }, { memoryVsFixed10: 1, coldStartPct: 1, label: 'y' }] },
      { name: 'b', color: '#0f0', points: [{ memoryVsFixed10: 1.8, coldStartPct: 0.5, label: 'z' }] },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('t &lt;1&gt;');
  });
});
