// Profiler throughput: events folded per second and forecasts emitted per second.
//  core: the pure PartitionProfiler in-process (fold, ticks, forecasts, accuracy, changelog JSON);
//  e2e:  the profiler service on the embedded broker + registry: events published first, then the
//        service consumes them all (decode, fold, produce forecasts/accuracy/changelog, commit).
// Run: node --import tsx services/profiler/bench/profiler.bench.ts [users] [minutes]
// profilerSection is the profiler's section of `npm run bench:ingest` (bench/ingest.bench.ts): it
// profiles the normalized topic the ingest section filled.
import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { Topics } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';
import { PartitionProfiler } from '../src/core/partition-profiler.ts';
import { profilerOptions } from '../src/core/options.ts';
import { createProfilerService } from '../src/index.ts';
import { generateEvents } from '../test/fixtures/events.ts';
import { startStack } from '../test/integration/stack.ts';
import { caughtUp } from '../test/integration/child-runner.ts';

export interface ProfilerBenchResult {
  readonly events: number;
  readonly users: number;
  readonly minutes: number;
  readonly core: { readonly seconds: number; readonly eventsPerSec: number; readonly forecasts: number; readonly forecastsPerSec: number };
  readonly e2e: { readonly seconds: number; readonly eventsPerSec: number; readonly forecasts: number; readonly forecastsPerSec: number; readonly partitions: number };
}

export async function benchProfiler(users = 300, minutes = 120, partitions = 4): Promise<ProfilerBenchResult> {
  const events = generateEvents({ users, minutes, seed: 1 });
  // core, one partition holding every user (the worst case for one process)
  const prof = new PartitionProfiler(0, profilerOptions());
  let forecasts = 0;
  const t0 = performance.now();
  events.forEach((e, i) => { for (const t of prof.fold(e, i)) forecasts += t.forecasts.length; });
  const coreSec = (performance.now() - t0) / 1000;

  const stack = await startStack(partitions);
  try {
    await stack.publish(events);
    const admin = stack.kafka().admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(Topics.execEventNormalized);
    await admin.disconnect();
    const service = createProfilerService({ config: stack.config('profiler-bench', 'profiler-bench'), logger: pino({ level: 'silent' }) });
    const t1 = performance.now();
    await service.start();
    while (!caughtUp(ends, service.stats())) await new Promise((r) => setTimeout(r, 20));
    const e2eSec = (performance.now() - t1) / 1000;
    const f = service.stats()['forecasts'] ?? 0;
    await service.close();
    return {
      events: events.length, users, minutes,
      core: { seconds: coreSec, eventsPerSec: events.length / coreSec, forecasts, forecastsPerSec: forecasts / coreSec },
      e2e: { seconds: e2eSec, eventsPerSec: events.length / e2eSec, forecasts: f, forecastsPerSec: f / e2eSec, partitions },
    };
  } finally {
    await stack.stop();
  }
}

/** The parts of bench/ingest.bench.ts's BenchContext and BenchRow this section uses (structural: no import of the root bench). */
interface SectionContext {
  readonly kafka: Kafka;
  config(overrides?: Partial<Record<keyof KitConfig, unknown>>): KitConfig;
  readonly facts: Record<string, number>;
}
interface SectionRow { readonly section: string; readonly stage: string; readonly events: number; readonly seconds: number; readonly cpu?: number; readonly note?: string }

/** Seconds the section may run before it reports the rate so far (one sample day is ~1440 ticks x every active user). */
const SECTION_SECONDS = Number(process.env['BENCH_PROFILER_SECONDS'] ?? 120);

export const profilerSection = {
  name: 'profiler',
  async run(ctx: SectionContext): Promise<SectionRow[]> {
    const admin = ctx.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(Topics.execEventNormalized);
    await admin.disconnect();
    const total = ends.reduce((s, e) => s + Number(e.high), 0);
    const service = createProfilerService({ config: ctx.config({ clientId: 'profiler-bench', groupId: 'profiler-bench' }), logger: pino({ level: 'silent' }) });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await service.start();
    let done = false;
    while (!(done = caughtUp(ends, service.stats())) && performance.now() - t0 < SECTION_SECONDS * 1000) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const st = service.stats();
    await service.close();
    const events = (st['eventsFolded'] ?? 0) + (st['eventsSkipped'] ?? 0) + (st['lateEvents'] ?? 0) + (st['ignoredEvents'] ?? 0);
    const forecasts = st['forecasts'] ?? 0;
    const note = `${forecasts} forecasts (${Math.round(forecasts / seconds)}/s), ${st['accuracyRecords'] ?? 0} accuracy, ${st['changelogEntries'] ?? 0} changelog entries, ${st['usersTracked'] ?? 0} users; ${done ? 'all' : `stopped after ${SECTION_SECONDS} s at`} ${events} of ${total} events`;
    return [{ section: 'profiler', stage: 'end to end (consume, fold, tick, produce, commit)', events, seconds, cpu: (cpu.user + cpu.system) / 1e6, note }];
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const users = Number(process.argv[2] ?? 300);
  const minutes = Number(process.argv[3] ?? 120);
  const r = await benchProfiler(users, minutes);
  const fmt = (x: number): string => x.toFixed(0);
  console.log(`profiler bench: ${r.events} events, ${r.users} users, ${r.minutes} minutes of event time`);
  console.log(`  core (1 partition):          ${fmt(r.core.eventsPerSec)} events/s, ${fmt(r.core.forecastsPerSec)} forecasts/s (${r.core.forecasts} forecasts in ${r.core.seconds.toFixed(1)} s)`);
  console.log(`  e2e (${r.e2e.partitions} partitions, embedded): ${fmt(r.e2e.eventsPerSec)} events/s, ${fmt(r.e2e.forecastsPerSec)} forecasts/s (${r.e2e.forecasts} forecasts in ${r.e2e.seconds.toFixed(1)} s, incl. start + changelog restore)`);
  process.exit(0);
}
