import { describe, expect, it } from 'vitest';
import { StepPublisher } from '../src/step-publisher.ts';

describe('StepPublisher', () => {
  it('publishes in the order the steps were started, even when an earlier step computes longer', async () => {
    const published: string[] = [];
    const p = new StepPublisher<string>(async (e) => { published.push(e); });
    let finishFirst: () => void = () => {};
    const first = p.run('t/0/1', () => new Promise<string>((resolve) => { finishFirst = () => resolve('first'); }));
    const second = p.run('t/1/1', async () => 'second');
    await new Promise<void>((r) => setImmediate(r)); // let every ready microtask run (not a timed wait)
    expect(published).toEqual([]); // the second is computed and published only after the first
    finishFirst();
    await Promise.all([first, second]);
    expect(published).toEqual(['first', 'second']);
  });

  it('a failed publication is retried with the same reports, not recomputed', async () => {
    let fail = true;
    const published: number[] = [];
    const p = new StepPublisher<number>(async (e) => { if (fail) throw new Error('broker down'); published.push(e); });
    let computed = 0;
    const compute = async (): Promise<number> => ++computed;
    await expect(p.run('t/0/7', compute)).rejects.toThrow('broker down');
    expect(p.pending).toBe(1);
    fail = false;
    await p.run('t/0/7', compute);
    expect({ computed, published, pending: p.pending }).toEqual({ computed: 1, published: [1], pending: 0 });
  });

  it('a failing step does not block the next one', async () => {
    const published: string[] = [];
    const p = new StepPublisher<string>(async (e) => { published.push(e); });
    await expect(p.run('a', async () => { throw new TypeError('bug'); })).rejects.toThrow('bug');
    await p.run('b', async () => 'b');
    expect(published).toEqual(['b']);
  });
});
