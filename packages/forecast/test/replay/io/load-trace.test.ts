import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTrace } from '../../../src/replay/io/load-trace.ts';
import { TraceError } from '../../../src/replay/io/trace-error.ts';

const dirs: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'warmcast-trace-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadTrace', () => {
  it('finds the day files in a directory', () => {
    const dir = tempDir({
      'day-inv.csv': 'HashFunction,HashOwner,HashApp,minute_1,minute_2\nf,o,a,3,0\n',
      'day-run.csv': 'HashOwner,HashApp,HashFunction,Average\no,a,f,500\n',
      'day-mem.csv': 'HashOwner,HashApp,AverageAllocatedMb\no,a,256\n',
    });
    const tr = loadTrace(dir);
    expect(tr.layout).toBe('day');
    expect(tr.functions[0]).toMatchObject({ id: 'f', memoryMb: 256, durationSec: 0.5 });
  });

  it('finds the 8h files in a directory', () => {
    const dir = tempDir({
      'invocations.csv': 'HashOwner,HashApp,HashFunction,Trigger,480,481\no,a,f,timer,0,1\n',
      'durations.csv': 'HashOwner,HashApp,HashFunction,Average\no,a,f,2000\n',
      'memory.csv': 'HashFunction,HashOwner,HashApp,AverageAllocatedMb\nf,o,a,90\n',
    });
    expect(loadTrace(dir)).toMatchObject({ layout: '8h', startMinuteOfDay: 480, minutes: 2 });
  });

  it('reports a directory without a trace as TRACE_NOT_FOUND', () => {
    const dir = tempDir({ 'other.csv': 'x\n' });
    expect(() => loadTrace(dir)).toThrow(TraceError);
    try {
      loadTrace(dir);
    } catch (err) {
      expect((err as TraceError).code).toBe('TRACE_NOT_FOUND');
    }
  });
});
