// An aggregator killed with SIGKILL while windows are open, and restarted, publishes the same
// windows (same content) as an uninterrupted run over the same forecasts, each on its own fresh
// embedded broker + registry. Windows are keyed by (topic, key, windowStart, horizon); a window
// published twice must be equal both times.
//
// The forecasts: 60 users x 8 ticks on 3 partitions, sent tick by tick; 15 "slow" users send
// each tick's forecast after the others' next tick (within the lateness of 1 tick). The first
// process reads ticks 0-3 and is killed with windows 0-1 published and 2-3 open. Without the
// commit floor their forecasts are committed and lost; with the floor the restart re-reads
// them, and also the slow users' tick-1 forecasts sent after them, for window 1, published
// already: those must be dropped (restored from the commit metadata), not published again as a
// window of 15 users.
import { afterAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { createRegistryClient, Topics, TypedProducer } from '@warmcast/kit';
import type { TopicName, UserForecast } from '@warmcast/kit';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { forecastOf, poisson, bernoulliGeometric, prng } from '../support/synthetic.ts';
import type { SynthUser } from '../support/synthetic.ts';
import { caughtUp, runChild } from './child-runner.ts';

const { Partitioners } = kafkajs;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const TICKS = 8;
const PARTITIONS = 3;
const POOLS = ['python3.12/M', 'node20/S'];
const slow = (i: number): boolean => i % 4 === 0;

function users(): SynthUser[] {
  const rand = prng(11);
  return Array.from({ length: 60 }, (_, i) => ({
    key: `user-${i}`,
    dist: i % 2 === 0 ? poisson(0.2 + rand()) : bernoulliGeometric(0.1 + 0.5 * rand(), 1 + 2 * rand()),
    poolMix: i % 5 === 0 ? { [POOLS[0]!]: 0.5, [POOLS[1]!]: 0.5 } : { [POOLS[i % 2]!]: 1 },
    tier: (['FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE'] as const)[i % 4]!,
    cores: 1, mib: 1024,
  }));
}

/** Send t (0..TICKS): tick t's forecasts of the prompt users, then the slow users' ones for tick t - 1. */
function sends(): UserForecast[][] {
  const us = users();
  return Array.from({ length: TICKS + 1 }, (_, t) => [
    ...us.filter((_, i) => t < TICKS && !slow(i)).map((u) => forecastOf(u, T0 + t * MIN, { horizons: [5, 15], producedAt: T0 + t * MIN + 2_000 })),
    ...us.filter((_, i) => t >= 1 && slow(i)).map((u) => forecastOf(u, T0 + (t - 1) * MIN, { horizons: [5, 15], producedAt: T0 + (t - 1) * MIN + 9_000 })),
  ]);
}

interface Run { readonly infra: Embedded; readonly producer: TypedProducer }
const runs: Run[] = [];
afterAll(async () => {
  for (const r of runs) {
    await r.producer.close();
    await r.infra.stop();
  }
});

async function stack(): Promise<Run> {
  const infra = await startEmbedded({ name: 'aggregator-sigkill', partitions: PARTITIONS, registerSchemas: true });
  const producer = new TypedProducer({ producer: infra.kafka('forecast-writer').producer({ createPartitioner: Partitioners.DefaultPartitioner }), registry: createRegistryClient(infra.registryUrl) });
  await producer.start();
  const r = { infra, producer };
  runs.push(r);
  return r;
}

async function publish(r: Run, batches: readonly UserForecast[][]): Promise<void> {
  for (const b of batches) await r.producer.send(Topics.forecastUserPublished, b.map((f) => ({ key: f.userKey, value: f })));
}

async function ends(r: Run, topic: TopicName): Promise<{ partition: number; high: string }[]> {
  const admin = r.infra.kafka('ends').admin();
  await admin.connect();
  try {
    return await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
}

/** JSON with sorted keys, numbers to 9 significant digits (sums in another arrival order differ in the last bits). */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toPrecision(9));
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
  });
}

/** Every demand and cluster record, keyed by topic/key/windowStart/horizon; throws on a window published twice with other content. */
async function windows(r: Run): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const topic of [Topics.demandPoolAggregated, Topics.demandClusterAggregated] as const) {
    const total = (await ends(r, topic)).reduce((s, e) => s + Number(e.high), 0);
    const codec = r.producer.codec(topic);
    const consumer = r.infra.kafka('reader').consumer({ groupId: `reader-${topic}-${runs.indexOf(r)}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      if (total === 0) { resolve(); return; }
      consumer.run({
        eachMessage: async ({ message }) => {
          const d = await codec.decode(message.value);
          if (!d.ok) throw new Error(d.text);
          const v = d.value as { windowStart: number; horizonMinutes: number };
          const k = `${topic}/${message.key?.toString('utf8') ?? ''}/${v.windowStart}/${v.horizonMinutes}`;
          const c = canonical(d.value);
          const prev = out.get(k);
          if (prev !== undefined && prev !== c) reject(new Error(`${k} published twice with different content:\n${prev}\n${c}`));
          out.set(k, c);
          if (++seen >= total) resolve();
        },
      }).catch(reject);
    });
    await consumer.disconnect();
  }
  return out;
}

const arg = (r: Run): object => ({ brokers: r.infra.brokers, registryUrl: r.infra.registryUrl, groupId: 'aggregator' });

describe('aggregator under SIGKILL', () => {
  it('killed with windows open and restarted, publishes the same windows as an uninterrupted run', async () => {
    const all = sends();
    const count = all.reduce((s, b) => s + b.length, 0);

    // uninterrupted: all forecasts, read to the end, then closed (close publishes the last two windows)
    const a = await stack();
    await publish(a, all);
    const full = runChild(arg(a));
    await full.until((s) => s['forecasts'] === count);
    full.proc.kill('SIGTERM');
    expect(await full.exited).toBe(0);
    const want = await windows(a);
    expect(want.size).toBe(TICKS * (POOLS.length * 2 + 2)); // 8 windows x (2 pools x 2 horizons + 2 cluster horizons)

    // killed: sends 0-3 (ticks 0-3, slow users through tick 2) read and their commits made, then SIGKILL
    const b = await stack();
    const cut = 4;
    await publish(b, all.slice(0, cut));
    const endsFirst = await ends(b, Topics.forecastUserPublished);
    const first = runChild(arg(b));
    const atKill = await first.until((s) => caughtUp(endsFirst, s));
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect(atKill).toMatchObject({ windowsPublished: 2, openWindows: 2, heldWindows: 2 }); // windows 2 and 3 open at the kill
    await publish(b, all.slice(cut));
    const endsAll = await ends(b, Topics.forecastUserPublished);
    const second = runChild(arg(b));
    const finalB = await second.until((s) => caughtUp(endsAll, s));
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // the re-read included forecasts of window 1 (published before the kill): recognised, dropped
    expect(finalB['replayed']).toBeGreaterThan(0);
    expect(finalB['late']).toBe(0);
    const got = await windows(b); // throws on a window published twice with different content
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    const diff = [...want].filter(([k, v]) => got.get(k) !== v).map(([k]) => k);
    expect(diff.slice(0, 5)).toEqual([]);
  }, 600_000);
});
