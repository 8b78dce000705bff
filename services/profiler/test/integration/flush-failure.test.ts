// A produce that fails mid-stream (the broker refused one forecast request) on the real embedded
// broker: the consumer must not commit past it, must restore the partition from its changelog and
// re-fold from there, so the forecast topic still ends up with every forecast an uninterrupted
// run publishes (the lost request's forecasts included) and no unequal duplicate.
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { Topics, TypedProducer, createRegistryClient } from '@warmcast/kit';
import type { OutgoingMessage, TopicName } from '@warmcast/kit';
import { ProfilerConsumer } from '../../src/shell/profiler-consumer.ts';
import type { ProfilerProducer } from '../../src/shell/profiler-consumer.ts';
import { LeanProfilerProducer } from '../../src/shell/lean-profiler-producer.ts';
import { profilerProducerFromEnv } from '../../src/profiler-env.ts';
import { PartitionProfiler } from '../../src/core/partition-profiler.ts';
import { profilerOptions } from '../../src/core/options.ts';
import { forecastSet, startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { caughtUp } from './child-runner.ts';
import { generateEvents } from '../fixtures/events.ts';

const options = profilerOptions({ generationMinutes: 120 });
const events = generateEvents({ users: 80, minutes: 40, seed: 21 });
let stack: Stack | undefined;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await stack?.stop();
});

describe('profiler flush failure', () => {
  it('a failed forecast send commits nothing past it; the partition is restored and re-folded, losing no forecast', async () => {
    stack = await startStack(1); // one partition: every flush is in one chain
    const s = stack;
    await s.publish(events);
    const admin = s.kafka('ff-admin').admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    const ends = await admin.fetchTopicOffsets(Topics.execEventNormalized);

    const typed = new TypedProducer({ producer: s.kafka('ff-producer').producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner }), registry: createRegistryClient(s.registryUrl) });
    await typed.start();
    closers.push(() => typed.close());
    // the service's producer kind (WARMCAST_PROFILER_PRODUCER, else the default) under the injected failure
    let real: ProfilerProducer = typed;
    if (profilerProducerFromEnv(process.env) === 'lean') {
      const lean = new LeanProfilerProducer(typed, { brokers: s.brokers, clientId: 'ff-producer', log: pino({ level: 'silent' }) });
      closers.push(() => lean.close());
      real = lean;
    }
    // what happened, in order: acked forecast sends (their keys) and commits (next offset)
    const log: ({ sent: string[] } | { commit: number })[] = [];
    let forecastSends = 0;
    let refused: string[] = [];
    const failing: ProfilerProducer = {
      codec: (topic) => real.codec(topic),
      async send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> {
        const keys = messages.map((m) => { const v = m.value as { userKey: string; tickTime: number }; return `${v.userKey}@${v.tickTime}`; });
        if (topic === Topics.forecastUserPublished && ++forecastSends === 3) {
          refused = keys;
          throw new Error('injected: broker refused the produce request');
        }
        await real.send(topic, messages);
        if (topic === Topics.forecastUserPublished) log.push({ sent: keys });
      },
    };
    const kafka = s.kafka('ff');
    const spied = Object.assign(Object.create(kafka) as typeof kafka, {
      consumer: (cfg: Parameters<typeof kafka.consumer>[0]) => {
        const c = kafka.consumer(cfg);
        const commit = c.commitOffsets.bind(c);
        c.commitOffsets = async (offsets) => {
          await commit(offsets);
          if (cfg.groupId === 'ff') for (const o of offsets) log.push({ commit: Number(o.offset) });
        };
        return c;
      },
    });
    const consumer = new ProfilerConsumer({ kafka: spied, producer: failing, groupId: 'ff', clientId: 'ff', options, fromBeginning: true, log: pino({ level: 'silent' }) });
    await consumer.start();
    closers.push(() => consumer.close());
    // polling live counters (no timed assertion: the test timeout is the bound)
    while (!caughtUp(ends, consumer.stats()) || (consumer.stats()['flushFailures'] ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
    const st = consumer.stats();
    expect(st['flushFailures']).toBe(1);
    expect(st['restores']).toBe(2); // on assignment, then after the failure

    // reference: the uninterrupted core, and the input offset at which each tick fired
    const ref = new PartitionProfiler(0, options);
    const firedAt = new Map<number, number>();
    const want = forecastSet(events.flatMap((e, i) => ref.fold(e, i).flatMap((t) => { firedAt.set(t.tickTime, i); return t.forecasts; })));

    // until every refused forecast was sent again, no commit passed the first refused tick
    // (a commit of c says inputs < c are done; the tick fired while folding input firedAt)
    expect(refused.length).toBeGreaterThan(0);
    const firstRefused = Math.min(...refused.map((k) => firedAt.get(Number(k.split('@')[1])) ?? -1));
    const resent = new Set<string>();
    let commitsBefore = 0;
    for (const e of log) {
      if (refused.every((k) => resent.has(k))) break;
      if ('sent' in e) for (const k of e.sent) resent.add(k);
      else {
        commitsBefore++;
        expect(e.commit).toBeLessThanOrEqual(firstRefused);
      }
    }
    expect(refused.every((k) => resent.has(k))).toBe(true);
    expect(commitsBefore).toBeGreaterThan(0); // flushes before the failed one did commit

    // every forecast of an uninterrupted run is in the topic (the refused ones were re-made)
    const got = forecastSet(await s.readAll(Topics.forecastUserPublished, want.size)); // throws on unequal duplicates
    const missing = [...want.keys()].filter((k) => !got.has(k));
    expect(missing.slice(0, 5)).toEqual([]);
    expect([...want].filter(([k, v]) => got.get(k) !== v).slice(0, 3)).toEqual([]);
    const commits = log.flatMap((e) => ('commit' in e ? [e.commit] : []));
    expect(Math.max(...commits)).toBeGreaterThan(firstRefused); // and progress went past it after the restore
  }, 300_000);
});
