// loadTrafficTrace reads both layouts: the day layout (bundled sample) and the 8h layout
// (HashOwner first, Trigger column, numeric minute headers, memory by function).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceError } from '@warmcast/forecast';
import { loadTrafficTrace } from '../src/load.ts';
import { SAMPLE_TRACE_DIR } from '../src/sample.ts';
import { generateTraffic } from '../src/core/generator.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-8h-'));
  await writeFile(join(dir, 'invocations.csv'), 'HashOwner,HashApp,HashFunction,Trigger,480,481,482\nowner1,app1,fn1,http,2,0,1\nowner1,app2,fn2,timer,0,1,0\n');
  await writeFile(join(dir, 'durations.csv'), 'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\nowner1,app1,fn1,30,3,10.0,80.0,12,12,20,30,40,70,75\n');
  await writeFile(join(dir, 'memory.csv'), 'HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\nfn2,owner1,app2,10,300.0,280.0,285.0,290.0,300.0,310.0,320.0,330.0,340.0\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadTrafficTrace', () => {
  it('reads the 8h layout with trigger tags, owner as user, profiles by function', () => {
    const t = loadTrafficTrace(dir);
    expect(t.trace.layout).toBe('8h');
    expect(t.profiles[0]?.durationMs).toEqual([[0, 10], [0.01, 12], [0.25, 20], [0.5, 30], [0.75, 40], [0.99, 70], [1, 80]]);
    expect(t.profiles[1]?.memoryMb.at(-1)).toEqual([1, 340]);
    const req = [...generateTraffic(t, { startEpochMs: 0 })].flatMap((m) => m.events).flatMap((e) => (e.kind === 'request' ? [e.value] : []));
    expect(req.map((r) => [r.functionId, r.userId, r.tags?.['trigger'], Math.floor(r.eventTime / 60_000)])).toEqual([
      ['fn1', 'owner1', 'http', 0], ['fn1', 'owner1', 'http', 0], ['fn2', 'owner1', 'timer', 1], ['fn1', 'owner1', 'http', 2],
    ]);
    // both functions belong to owner1: one user, one tier
    expect(new Set(req.map((r) => r.tier)).size).toBe(1);
  });

  it('reads the bundled day sample: 100 functions x 1440 minutes, a profile each', () => {
    const t = loadTrafficTrace(SAMPLE_TRACE_DIR);
    expect([t.trace.layout, t.trace.functions.length, t.trace.minutes, t.profiles.length]).toEqual(['day', 100, 1440, 100]);
    expect(t.profiles.every((p) => p.durationMs.length === 7 && p.memoryMb.length === 8)).toBe(true);
  });

  it('names a missing directory', () => {
    expect(() => loadTrafficTrace(join(dir, 'nope'))).toThrow(TraceError);
  });
});
