// One profiler, then a second joins the group: the partitions (and so the users) split between
// them, the newcomer restores its partitions' state from the changelog, and the forecasts equal a
// single-process run of the same partition sequences (the pure core fed in offset order).
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Topics } from '@warmcast/kit';
import type { NormalizedEvent } from '@warmcast/kit';
import { createProfilerService, profilerProducerFromEnv } from '../../src/index.ts';
import type { ProfilerService } from '../../src/index.ts';
import { PartitionProfiler } from '../../src/core/partition-profiler.ts';
import { profilerOptions } from '../../src/core/options.ts';
import { forecastSet, startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { caughtUp } from './child-runner.ts';
import { generateEvents } from '../fixtures/events.ts';

const PARTITIONS = 4;
const GEN = 120;
const events = generateEvents({ users: 120, minutes: 60, seed: 9 });
let stack: Stack | undefined;
const services: ProfilerService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
  await stack?.stop();
});

async function until(pred: () => boolean | Promise<boolean>): Promise<void> {
  // polling a condition on live services (no timed assertion: the test timeout is the bound)
  while (!(await pred())) await new Promise((r) => setTimeout(r, 50));
}

/** Input topic read back with partition and offset, then the pure core per partition in offset order. */
async function singleProcessForecasts(s: Stack): Promise<Map<string, string>> {
  const codec = (await import('@warmcast/kit')).ValueCodec;
  const { createRegistryClient, topicSpec } = await import('@warmcast/kit');
  const dec = new codec<NormalizedEvent>(createRegistryClient(s.registryUrl), Topics.execEventNormalized, topicSpec(Topics.execEventNormalized).schemaText);
  const byPartition = new Map<number, { offset: number; e: NormalizedEvent }[]>();
  const consumer = s.kafka('ref-reader').consumer({ groupId: 'ref-reader' });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.execEventNormalized, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        const d = await dec.decode(message.value);
        if (!d.ok) throw new Error(d.text);
        const list = byPartition.get(partition) ?? [];
        list.push({ offset: Number(message.offset), e: d.value });
        byPartition.set(partition, list);
        if (++seen === events.length) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  const out = [];
  for (const [p, list] of byPartition) {
    const prof = new PartitionProfiler(p, profilerOptions({ generationMinutes: GEN }));
    for (const { offset, e } of list.sort((a, b) => a.offset - b.offset)) for (const t of prof.fold(e, offset)) out.push(...t.forecasts);
  }
  return forecastSet(out);
}

describe('profiler partition reassignment', () => {
  it('a second process takes over partitions with their state; forecasts equal a single-process run', async () => {
    stack = await startStack(PARTITIONS);
    const s = stack;
    const half = events.filter((e) => e.eventTime < events[0]!.eventTime + 30 * 60_000);
    const rest = events.slice(half.length);
    await s.publish(half);
    const ends = async (): Promise<{ partition: number; high: string }[]> => {
      const admin = s.kafka().admin();
      await admin.connect();
      const e = await admin.fetchTopicOffsets(Topics.execEventNormalized);
      await admin.disconnect();
      return e;
    };
    const make = (id: string): ProfilerService => createProfilerService({ config: s.config(id, 'profiler'), logger: pino({ level: 'silent' }), generationMinutes: GEN, producer: profilerProducerFromEnv(process.env) });
    const a = make('profiler-a');
    services.push(a);
    await a.start();
    const endsHalf = await ends();
    await until(() => caughtUp(endsHalf, a.stats()));
    expect(a.stats()['partitionsOwned']).toBe(PARTITIONS);
    const forecastsBefore = a.stats()['forecasts'] ?? 0;
    expect(forecastsBefore).toBeGreaterThan(0);

    const b = make('profiler-b');
    services.push(b);
    await b.start();
    await until(() => (b.stats()['partitionsOwned'] ?? 0) > 0 && (a.stats()['partitionsOwned'] ?? 0) < PARTITIONS);
    await s.publish(rest);
    const endsAll = await ends();
    await until(() => caughtUp(endsAll, a.stats(), b.stats()));
    const sa = a.stats();
    const sb = b.stats();
    const owned = (st: Record<string, number>): number[] => Object.keys(st).filter((k) => k.startsWith('lastOffset.p')).map((k) => Number(k.slice('lastOffset.p'.length)));
    // each partition owned by exactly one process after the rebalance
    expect([...owned(sa), ...owned(sb)].sort()).toEqual([0, 1, 2, 3]);
    expect(owned(sa).length).toBeGreaterThan(0);
    expect(owned(sb).length).toBeGreaterThan(0);
    expect(sb['restoredEntries'] ?? 0).toBeGreaterThan(0); // b's partitions came with a's state
    expect(sb['forecasts'] ?? 0).toBeGreaterThan(0);

    const got = forecastSet(await s.readAll(Topics.forecastUserPublished, 1)); // throws on unequal duplicates
    const want = await singleProcessForecasts(s);
    expect(got.size).toBe(want.size);
    const diff = [...want].filter(([k, v]) => got.get(k) !== v).map(([k]) => k);
    expect(diff.slice(0, 5)).toEqual([]);
  }, 600_000);
});
