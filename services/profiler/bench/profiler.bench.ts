// Profiler throughput: events folded per second and forecasts emitted per second.
//  core: the pure PartitionProfiler in-process (fold, ticks, forecasts, accuracy, changelog JSON);
//  e2e:  the profiler service on the embedded broker + registry: events published first, then the
//        service consumes them all (decode, fold, produce forecasts/accuracy/changelog, commit).
// Run: node --import tsx services/profiler/bench/profiler.bench.ts [users] [minutes] [partitions]
//        [--baseline=<commit>] [--only=core|e2e] [--rounds=n] [--producers=kafkajs,lean] [--model=train|FILE]
// --model: every run of the current code also runs serving a combiner version, side by side in the
// same round ('+combiner' in the label): `train` fits one with the trainer core on the same users'
// preceding window (generated with seed 2, ending where the run starts), effective from the run's
// first minute, so every tick serves it; FILE is a version as JSON (`warmcast train --out FILE`).
// Core: offered before the first event; e2e: published before the service starts.
// --producers: the e2e runs of the current code, one per output producer, side by side in each
// round (default both; the baseline run uses its own default).
// --baseline runs that commit's services/profiler/src (git archive, see loadBaseline) side by side
// in the same process, before the current code; every run prints CPU ms per event and the load
// average, and whether its forecasts equal the first run's (a sha256 over the canonical set).
// profilerSection is the profiler's section of `npm run bench:ingest` (bench/ingest.bench.ts): it
// profiles the normalized topic the ingest section filled.
import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { Topics } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent, UserForecastInput } from '@warmcast/kit';
import * as coreModule from '../src/core/partition-profiler.ts';
import type * as optionsModule from '../src/core/options.ts';
import { profilerOptions } from '../src/core/options.ts';
import type { ProfilerOptions } from '../src/core/options.ts';
import * as serviceModule from '../src/index.ts';
import { createProfilerService } from '../src/index.ts';
import { readFileSync } from 'node:fs';
import type { CombinerVersion } from '@warmcast/forecast';
import { START, generateEvents } from '../test/fixtures/events.ts';
import { trainedCombiner } from '../test/fixtures/models.ts';
import { publishCombiner } from '../test/integration/models.ts';
import { forecastSet, startStack } from '../test/integration/stack.ts';
import { caughtUp } from '../test/integration/child-runner.ts';

/** One measured run: rates, CPU per event (this process: with e2e, the embedded broker and registry run here too). */
export interface BenchRun {
  readonly label: string;
  readonly seconds: number;
  readonly events: number;
  readonly forecasts: number;
  readonly cpuMs: number;
  /** canonical forecasts (userKey@tickTime -> JSON): identical across runs or the figures compare different work */
  readonly digest: string;
  /** what else was produced: changelog entries (and bytes), accuracy records, commits */
  readonly note: string;
}

type CoreModule = typeof coreModule;
type ServiceModule = typeof serviceModule;
type OptionsModule = typeof optionsModule;

/**
 * The source of `commit` (git archive) under node_modules/.cache/profiler-baseline/<commit>/, for
 * the side-by-side runs: inside the repo so `@warmcast/*` imports resolve, out of lint and git.
 */
export async function loadBaseline(commit: string): Promise<{ core: CoreModule; service: ServiceModule; options: OptionsModule }> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const dir = join(root, 'node_modules/.cache/profiler-baseline', commit);
  if (!existsSync(join(dir, 'services/profiler/src/index.ts'))) {
    mkdirSync(dir, { recursive: true });
    execSync(`git -C ${root} archive ${commit} services/profiler/src | tar -x -C ${dir}`);
  }
  const src = join(dir, 'services/profiler/src');
  return {
    core: (await import(join(src, 'core/partition-profiler.ts'))) as CoreModule,
    service: (await import(join(src, 'index.ts'))) as ServiceModule,
    options: (await import(join(src, 'core/options.ts'))) as OptionsModule,
  };
}

const digestOf = (forecasts: readonly { readonly userKey: string; readonly tickTime: number }[]): string => {
  const h = createHash('sha256');
  for (const v of [...forecastSet(forecasts)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(v[0]).update(v[1]);
  return h.digest('hex').slice(0, 16);
};

/**
 * The pure core, one partition holding every user (the worst case for one process).
 * checkpointEvery: 'tick' = a changelog in every tick (the old contract), n = one checkpoint per
 * n events, as the service does per consumed batch.
 */
export function benchCore(label: string, mod: CoreModule, opts: ProfilerOptions, events: readonly NormalizedEvent[], checkpointEvery: 'tick' | number, model?: CombinerVersion): BenchRun {
  const prof = checkpointEvery === 'tick' ? new mod.PartitionProfiler(0, opts) : new mod.PartitionProfiler(0, opts, { checkpointEachTick: false });
  if (model) prof.offerCombiner(model);
  const out: UserForecastInput[] = [];
  let entries = 0;
  let stateBytes = 0;
  const count = (log: readonly { readonly state: Uint8Array }[] | undefined): void => {
    for (const c of log ?? []) {
      entries++;
      stateBytes += c.state.length;
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  events.forEach((e, i) => {
    for (const t of prof.fold(e, i)) {
      for (const f of t.forecasts) out.push(f);
      count(t.changelog);
    }
    if (typeof checkpointEvery === 'number' && (i + 1) % checkpointEvery === 0) count(prof.checkpoint()?.changelog);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { label, seconds, events: events.length, forecasts: out.length, cpuMs: (cpu.user + cpu.system) / 1000, digest: digestOf(out), note: `${entries} changelog entries, ${(stateBytes / 1e6).toFixed(1)} MB state` };
}

/** The service on a fresh embedded broker + registry: events published first, then consumed until every output of the last offset is acked. */
export async function benchE2e(label: string, mod: ServiceModule, events: readonly NormalizedEvent[], partitions: number, producer?: 'kafkajs' | 'lean', model?: CombinerVersion): Promise<BenchRun> {
  const stack = await startStack(partitions);
  try {
    if (model) await publishCombiner(stack, model);
    await stack.publish(events);
    const admin = stack.kafka().admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(Topics.execEventNormalized);
    await admin.disconnect();
    const service = mod.createProfilerService({ config: stack.config('profiler-bench', 'profiler-bench'), logger: pino({ level: 'silent' }), ...(producer === undefined ? {} : { producer }) });
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    await service.start();
    while (!caughtUp(ends, service.stats())) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const st = service.stats();
    const f = st['forecasts'] ?? 0;
    await service.close();
    const published = await stack.readAll(Topics.forecastUserPublished, f);
    const note = `${st['changelogEntries'] ?? 0} changelog entries, ${st['accuracyRecords'] ?? 0} accuracy records, ${st['commits'] ?? 0} commits${st['foldMs'] === undefined ? '' : `, fold ${((st['foldMs'] ?? 0) / 1000).toFixed(1)} s of it`}${model ? `, models applied ${st['modelsApplied'] ?? 0} late ${st['modelsLate'] ?? 0}` : ''}`;
    return { label, seconds, events: events.length, forecasts: f, cpuMs: (cpu.user + cpu.system) / 1000, digest: digestOf(published), note };
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
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const baseline = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 1);
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length); // core | e2e
  const users = Number(args[0] ?? 300);
  const minutes = Number(args[1] ?? 120);
  const partitions = Number(args[2] ?? 4);
  const producers = (process.argv.find((a) => a.startsWith('--producers='))?.slice('--producers='.length) ?? 'kafkajs,lean').split(',') as ('kafkajs' | 'lean')[];
  for (const p of producers) if (p !== 'kafkajs' && p !== 'lean') throw new Error(`--producers: ${p} is not kafkajs or lean`);
  const events = generateEvents({ users, minutes, seed: 1 });
  const modelArg = process.argv.find((a) => a.startsWith('--model='))?.slice('--model='.length);
  const first = Math.floor((events[0]?.eventTime ?? START) / 60_000);
  const model: CombinerVersion | undefined = modelArg === undefined ? undefined
    : modelArg === 'train' ? trainedCombiner(generateEvents({ users, minutes, seed: 2, start: START - minutes * 60_000 }), first - 1, first)
    : (JSON.parse(readFileSync(modelArg, 'utf8')) as CombinerVersion);
  if (model) console.log(`model: combiner version ${model.version}, effective from minute ${model.effectiveFromMinute} (${modelArg === 'train' ? 'trained on the preceding window' : modelArg}), coefficients ${model.coefficientsByBand.map((r) => r.length).join('/')} per band`);
  const old = baseline === undefined ? undefined : await loadBaseline(baseline);
  const runs: BenchRun[] = [];
  const print = (r: BenchRun): void => {
    runs.push(r);
    // core runs put every user in one partition, e2e runs spread them over `partitions`: the
    // partition-level need regression differs, so each kind is compared with its own first run
    const first = runs.find((x) => x.label.split(' ')[0] === r.label.split(' ')[0]);
    const same = first?.digest === r.digest ? 'same forecasts' : `FORECASTS DIFFER (${r.digest} vs ${first?.digest})`;
    console.log(`  ${r.label.padEnd(50)} ${(r.events / r.seconds).toFixed(0).padStart(6)} events/s ${(r.forecasts / r.seconds).toFixed(0).padStart(7)} forecasts/s ${(r.cpuMs / r.events).toFixed(3).padStart(7)} CPU ms/event ${r.seconds.toFixed(1).padStart(6)} s  load ${loadavg().map((x) => x.toFixed(1)).join(' ')}  ${same}; ${r.note}`);
  };
  console.log(`profiler bench: ${events.length} events, ${users} users, ${minutes} minutes of event time; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; baseline ${baseline ?? 'none'}`);
  // rounds: the first run of anything pays the JIT warm-up (the core's second round is ~40 % cheaper), so compare round 2+
  for (let round = 1; round <= rounds; round++) {
    if (only !== 'e2e') {
      if (old) print(benchCore(`core ${baseline?.slice(0, 7)} (checkpoint every tick) r${round}`, old.core, old.options.profilerOptions(), events, 'tick'));
      print(benchCore(`core new (checkpoint every tick) r${round}`, coreModule, profilerOptions(), events, 'tick'));
      print(benchCore(`core new (checkpoint per 500 events) r${round}`, coreModule, profilerOptions(), events, 500));
      if (model) print(benchCore(`core+combiner new (checkpoint per 500 events) r${round}`, coreModule, profilerOptions(), events, 500, model));
    }
    if (only !== 'core') {
      if (old) print(await benchE2e(`e2e ${baseline?.slice(0, 7)} (${partitions} partitions, embedded) r${round}`, old.service, events, partitions));
      for (const p of producers) {
        print(await benchE2e(`e2e new ${p} (${partitions} partitions, embedded) r${round}`, serviceModule, events, partitions, p));
        if (model) print(await benchE2e(`e2e+combiner new ${p} (${partitions} partitions, embedded) r${round}`, serviceModule, events, partitions, p, model));
      }
    }
  }
  process.exit(0);
}
