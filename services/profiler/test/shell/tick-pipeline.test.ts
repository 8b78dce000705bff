// PartitionPipeline's ordering rules with a hand-written fake producer and committer (no broker:
// the rules are about which step may start when, which a fake observes exactly). Sends resolve
// only when the test acks them, so "not yet" is checked deterministically, without sleeping.
import { describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import type { OutgoingMessage, ProfilerStateEntryInput, TopicName, UserForecastInput } from '@warmcast/kit';
import { PartitionPipeline, chunksByBytes } from '../../src/shell/tick-pipeline.ts';
import type { FlushWork } from '../../src/shell/tick-pipeline.ts';

interface Pending { readonly topic: string; readonly keys: (string | null)[]; ack(): void; fail(err: Error): void }

function fakeIo(): { io: ConstructorParameters<typeof PartitionPipeline>[2]; sends: Pending[]; commits: number[]; log: string[] } {
  const sends: Pending[] = [];
  const commits: number[] = [];
  const log: string[] = [];
  return {
    sends, commits, log,
    io: {
      send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> {
        log.push(`send ${topic} ${messages.map((m) => m.key).join(',')}`);
        return new Promise((resolve, reject) => sends.push({ topic, keys: messages.map((m) => m.key), ack: resolve, fail: reject }));
      },
      commit(_p: number, next: number): Promise<void> {
        log.push(`commit ${next}`);
        commits.push(next);
        return Promise.resolve();
      },
    },
  };
}

const forecast = (userKey: string): UserForecastInput => ({ userKey } as unknown as UserForecastInput);
const entry = (userKey: string): ProfilerStateEntryInput => ({ userKey, sourcePartition: 0, sourceOffset: 0, stateVersion: 1, state: Buffer.from('{}'), eventTime: 0 });

function work(tag: string, lastOffset: number): FlushWork {
  return {
    forecasts: [forecast(`f${tag}`)], accuracy: [], deadLetters: [], lastOffset,
    checkpoint: { changelog: [entry(`u${tag}`), entry(`__partition__/0`)], sourceOffset: lastOffset },
  };
}

/** lets every already-resolved promise continuation run (microtasks and one macrotask turn) */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

const pendingOf = (sends: Pending[], topic: string, key: string): Pending => {
  const s = sends.find((x) => x.topic === topic && x.keys.includes(key));
  if (!s) throw new Error(`no send of ${key} to ${topic}`);
  return s;
};

describe('PartitionPipeline', () => {
  it('sends a flush\'s changelog only after its forecasts are acked, and commits after the changelog', async () => {
    const { io, sends, commits, log } = fakeIo();
    const done: number[] = [];
    const pipe = new PartitionPipeline(0, 0, io, -1, (d) => done.push(d.work.lastOffset));
    const p = pipe.push(work('a', 9), 1);
    await settle();
    expect(log).toEqual([`send ${Topics.forecastUserPublished} fa`]);
    pendingOf(sends, Topics.forecastUserPublished, 'fa').ack();
    await settle();
    expect(log.at(-1)).toBe(`send ${Topics.profilerStateChangelog} ua,__partition__/0`);
    expect(commits).toEqual([]);
    pendingOf(sends, Topics.profilerStateChangelog, 'ua').ack();
    await p;
    expect(commits).toEqual([10]);
    expect(done).toEqual([9]);
    expect(pipe.durableOffset).toBe(9);
  });

  it('sends the next flush\'s forecasts at once, but its changelog only after the previous flush settled', async () => {
    const { io, sends, commits } = fakeIo();
    const pipe = new PartitionPipeline(0, 0, io, -1, () => undefined);
    const p1 = pipe.push(work('a', 9), 1);
    const p2 = pipe.push(work('b', 19), 1);
    await settle();
    expect(sends.map((s) => s.keys[0])).toEqual(['fa', 'fb']); // both flushes' forecasts in flight
    pendingOf(sends, Topics.forecastUserPublished, 'fb').ack();
    await settle();
    expect(sends.some((s) => s.keys.includes('ub'))).toBe(false); // b waits for a
    pendingOf(sends, Topics.forecastUserPublished, 'fa').ack();
    await settle();
    pendingOf(sends, Topics.profilerStateChangelog, 'ua').ack();
    await p1;
    await settle();
    pendingOf(sends, Topics.profilerStateChangelog, 'ub').ack();
    await p2;
    expect(commits).toEqual([10, 20]);
  });

  it('never commits past an un-acked output: a failed forecast send fails its flush and every later one', async () => {
    const { io, sends, commits } = fakeIo();
    const pipe = new PartitionPipeline(0, 0, io, 4, () => undefined);
    const p1 = pipe.push(work('a', 9), 1);
    const p2 = pipe.push(work('b', 19), 1);
    const p3 = pipe.push(work('c', 29), 1);
    const r1 = p1.then(() => 'ok', (e: Error) => e.message);
    const r2 = p2.then(() => 'ok', (e: Error) => e.message);
    const r3 = p3.then(() => 'ok', (e: Error) => e.message);
    await settle();
    pendingOf(sends, Topics.forecastUserPublished, 'fa').ack();
    await settle();
    pendingOf(sends, Topics.profilerStateChangelog, 'ua').ack();
    pendingOf(sends, Topics.forecastUserPublished, 'fb').fail(new Error('broker down'));
    pendingOf(sends, Topics.forecastUserPublished, 'fc').ack();
    expect(await r1).toBe('ok');
    expect(await r2).toBe('broker down');
    expect(await r3).toBe('broker down'); // c's own outputs were acked, but it comes after b
    expect(commits).toEqual([10]); // a only
    expect(sends.filter((s) => s.topic === Topics.profilerStateChangelog).map((s) => s.keys[0])).toEqual(['ua']);
    expect(pipe.durableOffset).toBe(9);
    expect(pipe.inFlight).toBe(0);
  });

  it('a failed changelog send stops the commit of its flush', async () => {
    const { io, sends, commits } = fakeIo();
    const pipe = new PartitionPipeline(0, 0, io, -1, () => undefined);
    const r = pipe.push(work('a', 9), 1).then(() => 'ok', (e: Error) => e.message);
    await settle();
    pendingOf(sends, Topics.forecastUserPublished, 'fa').ack();
    await settle();
    pendingOf(sends, Topics.profilerStateChangelog, 'ua').fail(new Error('changelog down'));
    expect(await r).toBe('changelog down');
    expect(commits).toEqual([]);
    expect(pipe.durableOffset).toBe(-1);
  });
});

describe('chunksByBytes', () => {
  it('packs items up to the byte budget; an oversized item travels alone', () => {
    expect(chunksByBytes([300, 300, 300, 1000, 100], (x) => x, 700)).toEqual([[300, 300], [300], [1000], [100]]);
    expect(chunksByBytes([], (x: number) => x, 700)).toEqual([]);
  });
});
