// With a combiner version published before the run: a profiler killed with SIGKILL mid-stream and
// restarted publishes the same forecasts as an uninterrupted run (the version applies from the
// same minute after the restore), and from the version's effectiveFromMinute on the forecasts
// differ from a run without it (so the equality is about the served model, not a no-op).
import { afterAll, describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import { forecastSet, startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { caughtUp, runChild } from './child-runner.ts';
import { publishCombiner } from './models.ts';
import { generateEvents, START } from '../fixtures/events.ts';
import { trainedCombiner } from '../fixtures/models.ts';

const PARTITIONS = 2;
const events = generateEvents({ users: 200, minutes: 50, seed: 5 });
const M0 = START / 60_000;
const EFFECTIVE = M0 + 30;
/** trained on the first 25 minutes (the trainer's pure core; the warehouse path has its own test) */
const model = trainedCombiner(events, M0 + 24, EFFECTIVE);
const stacks: Stack[] = [];
afterAll(async () => { for (const s of stacks) await s.stop(); });

async function ends(stack: Stack): Promise<{ partition: number; high: string }[]> {
  const admin = stack.kafka().admin();
  await admin.connect();
  const e = await admin.fetchTopicOffsets(Topics.execEventNormalized);
  await admin.disconnect();
  return e;
}

const arg = (s: Stack): object => ({ brokers: s.brokers, registryUrl: s.registryUrl, groupId: 'profiler', generationMinutes: 120 });

async function uninterrupted(withModel: boolean): Promise<{ forecasts: Map<string, string>; stats: Record<string, number> }> {
  const a = await startStack(PARTITIONS);
  stacks.push(a);
  if (withModel) await publishCombiner(a, model);
  await a.publish(events);
  const endsA = await ends(a);
  const full = runChild(arg(a));
  const stats = await full.until((s) => caughtUp(endsA, s));
  full.proc.kill('SIGTERM');
  expect(await full.exited).toBe(0);
  return { forecasts: forecastSet(await a.readAll(Topics.forecastUserPublished, 1)), stats };
}

describe('profiler serving a published combiner under SIGKILL', () => {
  it('restarted after SIGKILL mid-stream, publishes the same forecasts as an uninterrupted run; they differ from a run without the model after its minute', async () => {
    const { forecasts: want, stats: finalA } = await uninterrupted(true);
    expect(want.size).toBeGreaterThan(2000);
    expect(finalA).toMatchObject({ modelVersions: 1, modelsApplied: PARTITIONS, modelsLate: 0, modelsRejected: 0 });

    const b = await startStack(PARTITIONS);
    stacks.push(b);
    await publishCombiner(b, model);
    const cut = Math.floor(events.length * 0.6);
    await b.publish(events.slice(0, cut));
    const first = runChild(arg(b));
    const atKill = await first.until((s) => (s['forecasts'] ?? 0) > 0);
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    await b.publish(events.slice(cut));
    const endsB = await ends(b);
    expect(caughtUp(endsB, atKill)).toBe(false);
    const second = runChild(arg(b));
    const finalB = await second.until((s) => caughtUp(endsB, s));
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(finalB['restoredEntries'] ?? 0).toBeGreaterThan(0);
    expect(finalB['modelsLate']).toBe(0);
    const got = forecastSet(await b.readAll(Topics.forecastUserPublished, 1));
    expect(got.size).toBe(want.size);
    expect([...want].filter(([k, v]) => got.get(k) !== v).map(([k]) => k).slice(0, 5)).toEqual([]);

    // without the model: the same before EFFECTIVE, different after
    const { forecasts: plain } = await uninterrupted(false);
    const minute = (k: string): number => Number(k.split('@')[1]) / 60_000;
    const keys = [...want.keys()];
    expect(keys.filter((k) => minute(k) < EFFECTIVE && plain.get(k) !== want.get(k))).toEqual([]);
    const after = keys.filter((k) => minute(k) >= EFFECTIVE);
    expect(after.length).toBeGreaterThan(500);
    expect(after.filter((k) => plain.get(k) !== want.get(k)).length).toBeGreaterThan(after.length / 10);
    expect([...want.values()].some((v) => v.includes('"model":"combiner"'))).toBe(true);
  }, 600_000);
});
