/**
 * Ingest throughput, end to end and per stage.
 *
 *   npm run bench:ingest                 # 200k events (requests + metrics) from the bundled sample
 *   BENCH_EVENTS=50000 npm run bench:ingest
 *   BENCH_CONSUMER=lean BENCH_FORWARDER=lean npm run bench:ingest   # one end-to-end run with these clients
 *   BENCH_E2E=kafkajs/kafkajs,lean/lean npm run bench:ingest       # consumer/forwarder pairs (the default)
 *   BENCH_PROFILER=0 npm run bench:ingest                          # skip the profiler section
 *   BENCH_STAGES=0 npm run bench:ingest                            # end to end only (skip the per-stage rows)
 *   BENCH_BROKER_PROF=/tmp/prof npm run bench:ingest               # CPU profile of the broker child (written at its exit)
 *   sh bench/ingest-baseline.sh 48a53e4 /tmp/old                  # build the old copy, then:
 *   BENCH_BASELINE=/tmp/old BENCH_ROUNDS=2 npm run bench:ingest    # old vs new ingest side by side, alternated
 *     (BENCH_BASELINE: a copy of the repo holding the previous code, with its own node_modules/@warmcast
 *     links; its createIngestService runs each end-to-end pair before this tree's, BENCH_ROUNDS times)
 *
 * Broker and registry run as child processes (`warmcast broker` / `warmcast registry`), as in
 * production, so they compete with ingest for this machine's cores as they would; chDB runs
 * in-process (it is a library). Steps:
 *   1. events from the bundled Azure sample via @warmcast/traffic (requests, and every request's
 *      metrics), Avro-encoded and pre-loaded into the two input topics (12 partitions each);
 *   2. stages on the same events, one at a time: fetch only (kafkajs and lean consumers, eachBatch
 *      doing nothing), decode (awaited per message, and decodeSync), core (validate + pseudonymize
 *      + features + pair + map), encode normalized (avsc, and the kit's encodeSync), ClickHouse
 *      insert, produce;
 *   3. end to end, once per consumer/forwarder pair (old configuration first, side by side): a
 *      fresh ingest service in its own group from the first fetch to the commit covering the last
 *      input offset, then checks: rows in ClickHouse = valid inputs, normalized events added to
 *      the topic = requests (all paired). The profiler section then reads every copy.
 * Sections run in order on one shared context; the profiler's section can be appended to
 * SECTIONS (it finds the normalized topic filled by the ingest section).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import {
  Topics, ValueCodec, catalogue, createRegistryClient, ensureTopics, parseConfig, registerSchemas, topicSpec,
} from '@warmcast/kit';
import type { ExecutionMetrics, ExecutionRequest, KitConfig, NormalizedEventInput } from '@warmcast/kit';
import { openWarehouse, Tables } from '@warmcast/warehouse';
import type { Warehouse } from '@warmcast/warehouse';
import { SAMPLE_TRACE_DIR, generateTraffic, loadTrafficTrace } from '@warmcast/traffic';
import type { TrafficEvent } from '@warmcast/traffic';
import {
  DEV_HMAC_KEY, FeatureCache, MAX_REQUEST_BYTES, chunkByBytes, IngestCore, Pseudonymizer, REPLAY_LIMITS, createIngestService, emptyOutput, loadParsers,
} from '@warmcast/ingest';
import type { Decoded } from '@warmcast/ingest';
import { LeanConsumer } from '@warmcast/lean-client';
import { profilerSection } from '../services/profiler/bench/profiler.bench.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
type Client = 'kafkajs' | 'lean';
const client = (v: string | undefined, what: string): Client => {
  if (v === 'kafkajs' || v === 'lean') return v;
  throw new Error(`${what}=${String(v)} must be kafkajs or lean`);
};
/** consumer/forwarder pairs run end to end, in order (the old configuration first). */
const E2E: { consumer: Client; forwarder: Client }[] = process.env['BENCH_CONSUMER'] !== undefined || process.env['BENCH_FORWARDER'] !== undefined
  ? [{ consumer: client(process.env['BENCH_CONSUMER'] ?? 'lean', 'BENCH_CONSUMER'), forwarder: client(process.env['BENCH_FORWARDER'] ?? 'kafkajs', 'BENCH_FORWARDER') }]
  : (process.env['BENCH_E2E'] ?? 'kafkajs/kafkajs,lean/lean').split(',').map((pair) => {
    const [c, f] = pair.split('/');
    return { consumer: client(c, 'BENCH_E2E consumer'), forwarder: client(f, 'BENCH_E2E forwarder') };
  });
const PARTITIONS = 12;

export interface BenchContext {
  readonly dir: string;
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly warehouse: Warehouse;
  readonly kafka: Kafka;
  config(overrides?: Partial<Record<keyof KitConfig, unknown>>): KitConfig;
  /** What earlier sections left for later ones (e.g. normalizedEvents for the profiler). */
  readonly facts: Record<string, number>;
}

export interface BenchRow {
  readonly section: string;
  readonly stage: string;
  readonly events: number;
  readonly seconds: number;
  /** CPU seconds of this process (all threads, chDB's included) and of the broker + registry processes. */
  readonly cpu?: number;
  readonly childCpu?: number;
  readonly note?: string;
}
export interface BenchSection { readonly name: string; run(ctx: BenchContext): Promise<BenchRow[]> }

function child(args: string[], marker: string, dir: string, nodeArgs: string[] = []): Promise<{ proc: ChildProcess; line: Record<string, unknown> }> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'packages/cli/bin/warmcast.js', ...args, '--data', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes(marker));
      if (line !== undefined) resolve({ proc, line: JSON.parse(line) as Record<string, unknown> });
    });
    proc.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${out}`)));
  });
}

/** CPU seconds (user + system) of the child processes (broker, registry), from /proc. */
let childPids: number[] = [];
function childCpu(): number {
  let ticks = 0;
  for (const pid of childPids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(f[11] ?? 0) + Number(f[12] ?? 0); // utime, stime (fields 14, 15)
    } catch { /* not Linux or gone: 0 */ }
  }
  return ticks / 100; // USER_HZ = 100 on Linux
}

// The two shared cores run other people's work too (load average 10-18 while measured), so
// wall-clock rates swing; CPU seconds per event are the steadier figure.
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpu: number; childCpu: number }> {
  const c0 = process.cpuUsage();
  const k0 = childCpu();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, childCpu: childCpu() - k0 };
}

/**
 * Requests (and all their metrics) from the sample until `n` events. The sample day has ~148k
 * events, so larger runs replay it on consecutive days (new request ids per day); the last day
 * ends an hour ago.
 */
function sampleEvents(n: number): TrafficEvent[] {
  const trace = loadTrafficTrace(SAMPLE_TRACE_DIR);
  const DAY = 86_400_000;
  const perDay: number[] = [];
  for (const m of generateTraffic(trace, { startEpochMs: 0 })) perDay.push(m.events.length);
  const dayTotal = perDay.reduce((a, b) => a + b, 0);
  const days = Math.max(1, Math.ceil(n / dayTotal));
  const first = Date.now() - 3_600_000 - days * DAY;
  const events: TrafficEvent[] = [];
  for (let d = 0; d < days && events.length < n; d++) {
    // Requests until ~n/2 in total, then only the metrics still due (drained after toMinute).
    let toMinute = trace.trace.minutes;
    let requests = events.filter((e) => e.kind === 'request').length;
    for (const m of generateTraffic(trace, { startEpochMs: first + d * DAY })) {
      requests += m.requests;
      if (requests >= n / 2) { toMinute = m.minute + 1; break; }
    }
    for (const m of generateTraffic(trace, { startEpochMs: first + d * DAY, toMinute })) events.push(...m.events);
  }
  return events;
}

const ingestSection: BenchSection = {
  name: 'ingest',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const section = 'ingest';
    const gen = await timed(() => sampleEvents(EVENTS));
    const events = gen.value;
    const nReq = events.filter((e) => e.kind === 'request').length;
    const nMet = events.length - nReq;
    const withSource = events.filter((e) => e.kind === 'request' && e.value.sourceText != null).length;
    console.log(`events: ${events.length} (${nReq} requests, ${withSource} with source; ${nMet} metrics), generated in ${gen.seconds.toFixed(1)} s`);

    // Encode with the registered schemas (Confluent framing), as a producer would.
    const registry = createRegistryClient(ctx.registryUrl);
    const encoderFor = async (topic: string): Promise<(v: unknown) => Buffer> => {
      const meta = await registry.getLatestSchemaMetadata(`${topic}-value`);
      const type = avro.Type.forSchema(JSON.parse(meta.schema ?? '') as avro.Schema);
      const head = Buffer.alloc(5);
      head.writeInt32BE(meta.id ?? 0, 1);
      return (v) => Buffer.concat([head, type.toBuffer(v)]);
    };
    const encReq = await encoderFor(Topics.execRequestReceived);
    const encMet = await encoderFor(Topics.execMetricsReported);
    const defaults = (e: TrafficEvent): unknown => (e.kind === 'request'
      ? { applicationId: null, sizeClass: 'UNKNOWN', sourceText: null, codeMetrics: null, tags: {}, priority: 0, ...e.value }
      : { gpuMs: null, ...e.value });
    const encoded = events.map((e) => ({ topic: e.kind === 'request' ? Topics.execRequestReceived : Topics.execMetricsReported, key: e.key, value: e.kind === 'request' ? encReq(defaults(e)) : encMet(defaults(e)) }));

    // Pre-load (not measured as ingest): kafkajs, one send in flight per topic so each
    // partition keeps event-time order (parallel sends to one partition may land out of order).
    const producer = ctx.kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
    const load = await timed(async () => {
      // <= 900 KB per send: one partition's batch must stay under the broker's 1 MiB limit.
      await Promise.all([Topics.execRequestReceived, Topics.execMetricsReported].map(async (topic) => {
        for (const messages of chunkByBytes(encoded.filter((c) => c.topic === topic), MAX_REQUEST_BYTES)) {
          await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value })) });
        }
      }));
    });
    await producer.disconnect();
    rows.push({ section, stage: 'pre-load (kafkajs producer; not part of ingest)', events: encoded.length, seconds: load.seconds, cpu: load.cpu, childCpu: load.childCpu });

    if (process.env['BENCH_STAGES'] !== '0') {
      // --- Stages, one at a time, on the same data ---
      // Fetch only: every input message once, eachBatch doing nothing (fresh group each).
      const inputs = [Topics.execRequestReceived, Topics.execMetricsReported];
      const fetchOnly = async (which: Client): Promise<number> => {
        let seen = 0;
        let done!: () => void;
        const finished = new Promise<void>((r) => { done = r; });
        const onBatch = (n: number): void => { seen += n; if (seen >= encoded.length) done(); };
        const sizes = { maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 };
        const consumer = which === 'lean'
          ? new LeanConsumer({ brokers: ctx.brokers, clientId: 'bench-fetch', groupId: 'bench-fetch-lean', ...sizes })
          : ctx.kafka.consumer({ groupId: 'bench-fetch-kafkajs', ...sizes });
        await consumer.connect();
        await consumer.subscribe({ topics: inputs, fromBeginning: true });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async ({ batch, resolveOffset }) => {
          const last = batch.messages[batch.messages.length - 1];
          if (last !== undefined) resolveOffset(last.offset);
          onBatch(batch.messages.length);
        } });
        await finished;
        await consumer.disconnect();
        return seen;
      };
      for (const which of ['kafkajs', 'lean'] as const) {
        const f = await timed(() => fetchOnly(which));
        rows.push({ section, stage: `fetch only (${which} consumer, join included)`, events: f.value, seconds: f.seconds, cpu: f.cpu, childCpu: f.childCpu });
      }
      const codecs = {
        [Topics.execRequestReceived]: new ValueCodec<ExecutionRequest>(registry, Topics.execRequestReceived, topicSpec(Topics.execRequestReceived).schemaText),
        [Topics.execMetricsReported]: new ValueCodec<ExecutionMetrics>(registry, Topics.execMetricsReported, topicSpec(Topics.execMetricsReported).schemaText),
      } as const;
      const dec = await timed(async () => {
        const out: Decoded[] = [];
        for (let i = 0; i < encoded.length; i++) {
          const e = encoded[i]!;
          const d = await codecs[e.topic as keyof typeof codecs].decode(e.value);
          if (!d.ok) throw new Error(d.text);
          out.push(e.topic === Topics.execRequestReceived
            ? { side: 'request', value: d.value as ExecutionRequest, origin: { topic: e.topic, partition: 0, offset: i } }
            : { side: 'metrics', value: d.value as ExecutionMetrics, origin: { topic: e.topic, partition: 0, offset: i } });
        }
        return out;
      });
      rows.push({ section, stage: 'decode (ValueCodec.decode awaited per message: old loop)', events: encoded.length, seconds: dec.seconds, cpu: dec.cpu, childCpu: dec.childCpu });
      const decSync = await timed(async () => {
        let n = 0;
        for (const e of encoded) {
          const codec = codecs[e.topic as keyof typeof codecs];
          const d = codec.decodeSync(e.value) ?? await codec.decode(e.value);
          if (d.ok) n++;
        }
        return n;
      });
      rows.push({ section, stage: 'decode (decodeSync ?? decode: batch loop now)', events: encoded.length, seconds: decSync.seconds, cpu: decSync.cpu, childCpu: decSync.childCpu });
      const parsers = await loadParsers();
      const newCore = (): IngestCore => new IngestCore({ limits: REPLAY_LIMITS, referenceClock: 'watermark', pairWindowMs: 300_000, maxPending: 100_000, storeRawUserIds: false, pseudonymizer: new Pseudonymizer(DEV_HMAC_KEY), features: new FeatureCache(parsers) });
      let core = newCore();
      let out = emptyOutput();
      const runCore = (): void => {
        const now = Date.now();
        for (let i = 0; i < dec.value.length; i += 5000) core.process(dec.value.slice(i, i + 5000), now, out);
      };
      const pure = await timed(runCore);
      rows.push({ section, stage: 'core: validate+pseudonymize+features+pair+map', events: encoded.length, seconds: pure.seconds, cpu: pure.cpu, childCpu: pure.childCpu, note: `first pass: ${out.normalized.length} normalized, ${out.rejected.length} rejected, ${core.pairer.size} pending` });
      core = newCore();
      out = emptyOutput();
      const warm = await timed(runCore);
      rows.push({ section, stage: 'core again (JIT warm, fresh caches)', events: encoded.length, seconds: warm.seconds, cpu: warm.cpu, childCpu: warm.childCpu });
      const normType = avro.Type.forSchema(JSON.parse(topicSpec(Topics.execEventNormalized).schemaText) as avro.Schema);
      const enc = await timed(() => out.normalized.map((n) => Buffer.concat([Buffer.alloc(5), normType.toBuffer(n.value as NormalizedEventInput)])));
      rows.push({ section, stage: 'encode normalized (avsc + 5-byte header: old)', events: out.normalized.length, seconds: enc.seconds, cpu: enc.cpu, childCpu: enc.childCpu });
      const normCodec = new ValueCodec<unknown, NormalizedEventInput>(registry, Topics.execEventNormalized, topicSpec(Topics.execEventNormalized).schemaText);
      await normCodec.prepare();
      const encSync = await timed(() => out.normalized.map((n) => normCodec.encodeSync(n.value as NormalizedEventInput)));
      rows.push({ section, stage: 'encode normalized (kit encodeSync: forwarders now)', events: out.normalized.length, seconds: encSync.seconds, cpu: encSync.cpu, childCpu: encSync.childCpu });
      const ins = await timed(async () => {
        for (let i = 0; i < out.rawRequests.length; i += 20_000) await ctx.warehouse.insert(Tables.rawRequests, out.rawRequests.slice(i, i + 20_000));
        for (let i = 0; i < out.rawMetrics.length; i += 20_000) await ctx.warehouse.insert(Tables.rawMetrics, out.rawMetrics.slice(i, i + 20_000));
      });
      rows.push({ section, stage: 'ClickHouse insert (chDB in-process, 20k rows per insert)', events: out.rawRequests.length + out.rawMetrics.length, seconds: ins.seconds, cpu: ins.cpu, childCpu: ins.childCpu });
      await ctx.warehouse.command(`TRUNCATE TABLE ${Tables.rawRequests}`);
      await ctx.warehouse.command(`TRUNCATE TABLE ${Tables.rawMetrics}`);
      const probe = ctx.kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
      await probe.connect();
      const prod = await timed(async () => {
        const messages = enc.value.map((value, j) => ({ key: out.normalized[j]!.key, value }));
        for (const chunk of chunkByBytes(messages, MAX_REQUEST_BYTES)) await probe.send({ topic: 'bench.probe', acks: -1, messages: chunk });
      });
      await probe.disconnect();
      rows.push({ section, stage: 'produce normalized (kafkajs, <= 900 KB per send)', events: enc.value.length, seconds: prod.seconds, cpu: prod.cpu, childCpu: prod.childCpu, note: 'to a scratch topic' });
    }

    // --- End to end, once per consumer/forwarder pair, side by side ---
    const admin = ctx.kafka.admin();
    await admin.connect();
    const ends = new Map<string, bigint>();
    for (const topic of [Topics.execRequestReceived, Topics.execMetricsReported]) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
    const onTopic = async (): Promise<number> => (await admin.fetchTopicOffsets(Topics.execEventNormalized)).reduce((s, p) => s + Number(p.high), 0);
    const variants: { label: string; create: typeof createIngestService }[] = [{ label: '', create: createIngestService }];
    const baseline = process.env['BENCH_BASELINE'];
    if (baseline !== undefined) {
      const old = await import(join(baseline, 'services/ingest/src/index.ts')) as { createIngestService: typeof createIngestService };
      variants.unshift({ label: 'baseline ', create: old.createIngestService });
      variants[1] = { label: 'current ', create: createIngestService };
    }
    const runs = Array.from({ length: Number(process.env['BENCH_ROUNDS'] ?? 1) }, (_, round) => E2E.flatMap((pair) => variants.map((v) => ({ ...pair, ...v, round })))).flat();
    for (const { consumer, forwarder, label, create, round } of runs) {
      await ctx.warehouse.command(`TRUNCATE TABLE ${Tables.rawRequests}`);
      await ctx.warehouse.command(`TRUNCATE TABLE ${Tables.rawMetrics}`);
      const topicBefore = await onTopic();
      const committed = new Map<string, bigint>();
      let tFirst = 0;
      let tLast = 0;
      let cpuAtFirst = process.cpuUsage();
      let cpuAtLast = cpuAtFirst;
      let childAtFirst = 0;
      let childAtLast = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => { resolveDone = r; });
      const group = `ingest-bench-${label.trim() || 'run'}${round}-${consumer}-${forwarder}`;
      const service = create({
        config: ctx.config({ clientId: group, groupId: group }), warehouse: ctx.warehouse, hmacKey: DEV_HMAC_KEY,
        options: { referenceClock: 'watermark', limits: REPLAY_LIMITS, forwarder, consumer },
        beforeCommit: async (points) => {
          for (const p of points) committed.set(`${p.topic}/${p.partition}`, BigInt(p.offset));
          if (tLast === 0 && [...ends].every(([k, v]) => (committed.get(k) ?? 0n) >= v)) { tLast = performance.now(); cpuAtLast = process.cpuUsage(); childAtLast = childCpu(); resolveDone(); }
        },
      });
      const profile = process.env['BENCH_CPU_PROF'] === undefined ? undefined : await startProfile();
      const poll = setInterval(() => {
        if (tFirst === 0 && service.stats()['fetched']! > 0) { tFirst = performance.now(); cpuAtFirst = process.cpuUsage(); childAtFirst = childCpu(); }
      }, 1);
      const tStart = performance.now();
      await service.start();
      // A run that never commits its last offsets (e.g. events stuck waiting for a pair) fails
      // with the service's counters and the commit gaps instead of hanging the bench.
      const limitS = Number(process.env['BENCH_E2E_TIMEOUT_S'] ?? 300);
      let watchdog: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        watchdog = setTimeout(() => {
          const gaps = [...ends].filter(([k, v]) => (committed.get(k) ?? 0n) < v).map(([k, v]) => `${k} committed ${committed.get(k) ?? 'none'} of ${v}`);
          reject(new Error(`end-to-end ${label}${consumer}/${forwarder} not done after ${limitS} s: stats ${JSON.stringify(service.stats())}; gaps: ${gaps.join(', ')}`));
        }, limitS * 1000);
      });
      try {
        await Promise.race([done, timedOut]);
      } finally {
        clearTimeout(watchdog);
        clearInterval(poll);
      }
      if (profile !== undefined) await profile.stop(`${process.env['BENCH_CPU_PROF']}/ingest-e2e-${label.trim() || 'run'}${round}-${consumer}-${forwarder}.cpuprofile`);
      const e2eCpu = (cpuAtLast.user + cpuAtLast.system - cpuAtFirst.user - cpuAtFirst.system) / 1e6;
      const stats = service.stats();
      await service.close();
      rows.push({ section, stage: `END TO END: ${label}first fetch -> last commit (${consumer} consumer, ${forwarder} forwarder)`, events: encoded.length, seconds: (tLast - tFirst) / 1000, cpu: e2eCpu, childCpu: childAtLast - childAtFirst, note: `start-up ${((tFirst - tStart) / 1000).toFixed(1)} s not counted` });

      // Checks: rows stored, events forwarded.
      const [reqRows] = await ctx.warehouse.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.rawRequests}`);
      const [metRows] = await ctx.warehouse.query<{ n: number }>(`SELECT count() AS n FROM ${Tables.rawMetrics}`);
      const added = await onTopic() - topicBefore;
      console.log(`checks (${label}${consumer}/${forwarder}): raw_requests ${reqRows?.n} (valid requests ${stats['requests']}), raw_metrics ${metRows?.n} (valid metrics ${stats['metrics']}), normalized added to topic ${added} (forwarded ${stats['forwarded']}, paired ${stats['paired']}, pending ${stats['pending']}), rejected ${stats['rejected']}`);
      if (reqRows?.n !== stats['requests'] || metRows?.n !== stats['metrics'] || added !== stats['forwarded']) throw new Error('bench checks failed: see the line above');
    }
    ctx.facts['normalizedEvents'] = await onTopic();
    await admin.disconnect();
    return rows;
  },
};

/**
 * CPU profile of one stage (BENCH_CPU_PROF=<dir>): the .cpuprofile (open in Chrome DevTools) and,
 * on stdout, self time summed per package/file and the top functions: where the CPU goes.
 */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      const self = new Map<number, number>();
      const deltas = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
      const byPlace = new Map<string, number>();
      const byFn = new Map<string, number>();
      let total = 0;
      for (const n of profile.nodes) {
        const us = self.get(n.id) ?? 0;
        total += us;
        const url = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT, '');
        const place = url === '' ? `(${n.callFrame.functionName || 'native'})` : url.includes('node_modules/') ? `node_modules/${url.split('node_modules/')[1]!.split('/').slice(0, url.split('node_modules/')[1]!.startsWith('@') ? 2 : 1).join('/')}` : url;
        byPlace.set(place, (byPlace.get(place) ?? 0) + us);
        const fn = `${n.callFrame.functionName || '(anonymous)'} ${url === '' ? '' : `${url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`}`;
        byFn.set(fn, (byFn.get(fn) ?? 0) + us);
      }
      const top = (m: Map<string, number>, n: number): string => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
      console.log(`cpu profile ${file}: ${(total / 1e6).toFixed(2)} s sampled on the main thread\nself time by file/package:\n${top(byPlace, 25)}\ntop functions:\n${top(byFn, 25)}`);
    },
  };
}

/** Sections run in order; the profiler's section goes after ingest's (it reads the normalized topic). */
export const SECTIONS: BenchSection[] = process.env['BENCH_PROFILER'] === '0' ? [ingestSection] : [ingestSection, profilerSection];

function table(rows: readonly BenchRow[]): string {
  const us = (cpu: number | undefined, n: number): string => (cpu === undefined ? '' : (cpu * 1e6 / n).toFixed(1));
  const lines = rows.map((r) => [r.section, r.stage, String(r.events), r.seconds.toFixed(2), Math.round(r.events / r.seconds).toLocaleString('en-US'), us(r.cpu, r.events), us(r.childCpu, r.events), r.note ?? '']);
  const head = ['section', 'stage', 'events', 'seconds', 'events/s', 'cpu us/event', 'broker+registry us/event', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]): string => l.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-bench-ingest-'));
  const procs: ChildProcess[] = [];
  let warehouse: Warehouse | undefined;
  try {
    // BENCH_BROKER_PROF=<dir>: the broker child writes a V8 CPU profile there when it exits.
    const brokerProf = process.env['BENCH_BROKER_PROF'];
    const broker = await child(['broker', '--port', '0'], '"broker listening"', join(dir, 'kafka'), brokerProf === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${brokerProf}`]);
    procs.push(broker.proc);
    const registry = await child(['registry', '--port', '0'], '"schema registry listening"', join(dir, 'registry'));
    procs.push(registry.proc);
    childPids = procs.map((p) => p.pid ?? 0).filter((pid) => pid > 0);
    const brokers = [`127.0.0.1:${String(broker.line['port'])}`];
    const registryUrl = String(registry.line['url']);
    const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers, logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, catalogue, { partitionsOverride: PARTITIONS });
    await admin.createTopics({ topics: [{ topic: 'bench.probe', numPartitions: PARTITIONS }] });
    await admin.disconnect();
    await registerSchemas(createRegistryClient(registryUrl), catalogue);
    warehouse = await openWarehouse({ dataDir: join(dir, 'warehouse'), env: {}, logger: pino({ level: 'silent' }) });
    const ctx: BenchContext = {
      dir, brokers, registryUrl, warehouse, kafka, facts: {},
      config: (o = {}) => parseConfig({ kafkaBrokers: brokers, registryUrl, httpPort: 0, logLevel: 'warn', ...o }),
    };
    const rows: BenchRow[] = [];
    for (const s of SECTIONS) rows.push(...await s.run(ctx));
    console.log(`\n${table(rows)}\n\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  } finally {
    await warehouse?.close();
    await Promise.all(procs.reverse().map((p) => new Promise<void>((resolve) => {
      if (p.exitCode !== null) { resolve(); return; }
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    })));
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) => console.error(`cleanup of ${dir}: ${String(err)}`));
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => { console.error(err); process.exit(1); });
}
