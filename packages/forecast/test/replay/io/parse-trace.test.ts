import { describe, expect, it } from 'vitest';
import { detectLayout, parseTrace } from '../../../src/replay/io/parse-trace.ts';
import { TraceError } from '../../../src/replay/io/trace-error.ts';

const DAY_INV = 'HashFunction,HashOwner,HashApp,minute_1,minute_2,minute_3\nfA,oA,aA,1,0,2\nfB,oB,aB,0,0,5\n';
const DAY_RUN = 'HashOwner,HashApp,HashFunction,Average,Count\noA,aA,fA,2500,3\noB,aB,fB,0,5\n';
// the day memory file has no HashFunction: looked up by app; aB missing -> 150 MB
const DAY_MEM = 'HashOwner,HashApp,SampleCount,AverageAllocatedMb\noA,aA,10,188\n';

const H8_INV = 'HashOwner,HashApp,HashFunction,Trigger,480,481\no1,a1,f1,timer,1,0\no1,a1,f2,http,0,3\n';
const H8_DUR = 'HashOwner,HashApp,HashFunction,Average,Count\no1,a1,f1,120,1\n';
// per-function memory: f2 missing -> 150 MB even though its app has a row for f1
const H8_MEM = 'HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb\nf1,o1,a1,5,198.0\n';

describe('parseTrace', () => {
  it('reads the day layout (slot 0 = 00:00, memory by app, duration Average/1000 >= 0.001)', () => {
    const tr = parseTrace({ invocations: DAY_INV, durations: DAY_RUN, memory: DAY_MEM });
    expect(tr.layout).toBe('day');
    expect(tr.minutes).toBe(3);
    expect(tr.startMinuteOfDay).toBe(0);
    expect(tr.functions.map((f) => [f.id, f.user, f.memoryMb, f.durationSec])).toEqual([
      ['fA', 'oA', 188, 2.5],
      ['fB', 'oB', 150, 0.001],
    ]);
    expect(Array.from(tr.counts[1] ?? [])).toEqual([0, 0, 5]);
  });

  it('reads the 8h layout (slot 0 = minute 480, user = HashOwner, memory by function)', () => {
    const tr = parseTrace({ invocations: H8_INV, durations: H8_DUR, memory: H8_MEM });
    expect(tr.layout).toBe('8h');
    expect(tr.startMinuteOfDay).toBe(480);
    expect(tr.functions.map((f) => [f.id, f.user, f.trigger, f.memoryMb, f.durationSec])).toEqual([
      ['f1', 'o1', 'timer', 198, 0.12],
      ['f2', 'o1', 'http', 150, 0.001],
    ]);
  });

  it('detects the layout by header and rejects unknown ones as data', () => {
    expect(detectLayout(['HashFunction', 'minute_1']).layout).toBe('day');
    expect(detectLayout(['HashOwner', 'Trigger', '480']).startMinuteOfDay).toBe(480);
    try {
      detectLayout(['a', 'b']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TraceError);
      expect((err as TraceError).code).toBe('TRACE_BAD_HEADER');
      expect((err as TraceError).retriable).toBe(false);
    }
  });

  it('rejects negative counts', () => {
    expect(() => parseTrace({ invocations: 'HashFunction,HashOwner,HashApp,minute_1\nf,o,a,-1\n', durations: DAY_RUN, memory: DAY_MEM })).toThrow(/minute 0/);
  });
});
