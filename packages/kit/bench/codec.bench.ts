/**
 * Value codec cost per value, old (AvroSerializer, async decode) against new (prepare +
 * encodeSync / decodeSync), side by side in one run on the same values.
 *
 *   npm run bench:codec                  # 1000 values per topic, 12 interleaved rounds
 *   BENCH_VALUES=500 BENCH_ROUNDS=20 npm run bench:codec
 *
 * Values come from @warmcast/traffic's generator on the bundled Azure sample (requests with and
 * without sourceText, their metrics) and normalized events built from them in ingest's shape
 * (services/ingest/src/core/normalize.ts). The embedded registry runs in this process; after
 * the first value every variant reads its schemas from a cache, so no variant pays HTTP.
 * Variants run in turn, one pass each per round, so a load swing on this shared 2-core
 * machine hits all of them alike; wall us and CPU us (process.cpuUsage, GC included) per value
 * are printed next to each other, with the load average before and after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import avro from 'avsc';
import { pino } from 'pino';
import { AvroSerializer, SerdeType, SubjectNameStrategyType } from '@confluentinc/schemaregistry';
import { startRegistry } from '@warmcast/registry';
import { catalogue, topicSpec } from '../src/topics.ts';
import { Topics } from '../src/generated/catalogue.ts';
import type { ExecutionMetricsInput, ExecutionRequestInput, NormalizedEventInput } from '../src/generated/types.ts';
import { createRegistryClient, registerSchemas } from '../src/serde/registry.ts';
import { ValueCodec } from '../src/serde/value-codec.ts';

const VALUES = Number(process.env['BENCH_VALUES'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 12);

// @warmcast/traffic depends on the kit, so the kit cannot reference it (a tsconfig cycle):
// imported at run time by a name tsc does not follow, typed by what this bench uses.
interface TrafficModule {
  SAMPLE_TRACE_DIR: string;
  loadTrafficTrace(dir: string): Promise<unknown>;
  generateTraffic(trace: unknown, o: { startEpochMs: number }): Iterable<{ events: readonly ({ kind: 'request'; value: ExecutionRequestInput } | { kind: 'metrics'; value: ExecutionMetricsInput })[] }>;
}
const trafficName = '@warmcast/traffic';
const traffic = (await import(trafficName)) as TrafficModule;

async function sampleValues(): Promise<{ withSource: ExecutionRequestInput[]; noSource: ExecutionRequestInput[]; metrics: ExecutionMetricsInput[]; normalized: NormalizedEventInput[] }> {
  const withSource: ExecutionRequestInput[] = [];
  const noSource: ExecutionRequestInput[] = [];
  const metrics: ExecutionMetricsInput[] = [];
  const normalized: NormalizedEventInput[] = [];
  const requests = new Map<string, ExecutionRequestInput>();
  const trace = await traffic.loadTrafficTrace(traffic.SAMPLE_TRACE_DIR);
  for (const minute of traffic.generateTraffic(trace, { startEpochMs: 1_763_900_000_000 })) {
    for (const e of minute.events) {
      if (e.kind === 'request') {
        requests.set(e.value.requestId, e.value);
        const list = e.value.sourceText === null || e.value.sourceText === undefined ? noSource : withSource;
        if (list.length < VALUES) list.push(e.value);
      } else {
        if (metrics.length < VALUES) metrics.push(e.value);
        const r = requests.get(e.value.requestId);
        if (r !== undefined && normalized.length < VALUES) normalized.push(pairedEvent(r, e.value));
      }
    }
    if (withSource.length >= VALUES && noSource.length >= VALUES && metrics.length >= VALUES && normalized.length >= VALUES) break;
  }
  return { withSource, noSource, metrics, normalized };
}

// ingest's PAIRED event (normalize.ts); userKey is the HMAC's 'u:' + 32 hex chars shape.
function pairedEvent(r: ExecutionRequestInput, m: ExecutionMetricsInput): NormalizedEventInput {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.tags ?? {})) tags[k.toLowerCase()] = v;
  return {
    eventId: `paired:${r.requestId}`, userKey: `u:${r.userId.slice(0, 32)}`, kind: 'PAIRED', requestId: r.requestId, functionId: r.functionId,
    applicationId: r.applicationId ?? null, runtime: r.runtime, sizeClass: r.sizeClass, language: r.language, tier: r.tier ?? null, priority: r.priority ?? null, tags,
    eventTime: r.eventTime,
    metrics: { durationMs: m.durationMs, cpuMs: m.cpuMs, cpuCores: m.cpuCores, memoryPeakMb: m.memoryPeakMb, ioBytes: m.ioReadBytes + m.ioWriteBytes, netBytes: m.netInBytes + m.netOutBytes, gpuMs: m.gpuMs ?? null, coldStart: null, startLatencyMs: m.startLatencyMs },
    codeFeatures: r.sourceText === null || r.sourceText === undefined ? null : { lines: r.sourceText.split('\n').length, cyclomaticComplexity: 4, imports: 6, derivedFromSource: true },
    ingestedAt: r.eventTime + 40,
  };
}

type Variant = { readonly name: string; readonly run: (i: number) => unknown };
interface Tally { wallMs: number; cpuUs: number; n: number }

async function measure(variants: readonly Variant[], n: number): Promise<Map<string, Tally>> {
  const tallies = new Map(variants.map((v) => [v.name, { wallMs: 0, cpuUs: 0, n: 0 }]));
  for (let round = 0; round <= ROUNDS; round++) { // round 0 warms up (JIT, caches) and is not counted
    for (const v of variants) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const r = v.run(i);
        if (r instanceof Promise) await r;
      }
      const t1 = performance.now();
      const c = process.cpuUsage(c0);
      const t = tallies.get(v.name);
      if (round > 0 && t !== undefined) { t.wallMs += t1 - t0; t.cpuUs += c.user + c.system; t.n += n; }
    }
  }
  return tallies;
}

const fmt = (x: number): string => x.toFixed(2);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

const dir = await mkdtemp(join(tmpdir(), 'warmcast-codec-bench-'));
const registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: dir, logger: pino({ level: 'silent' }) });
try {
  const client = createRegistryClient(registry.url);
  await registerSchemas(client, catalogue);
  const values = await sampleValues();
  const ratios: string[] = [];
  const sets: [string, string, readonly object[]][] = [
    ['exec.request.received.v1 (sourceText)', Topics.execRequestReceived, values.withSource],
    ['exec.request.received.v1 (no source)', Topics.execRequestReceived, values.noSource],
    ['exec.metrics.reported.v1', Topics.execMetricsReported, values.metrics],
    ['exec.event.normalized.v1', Topics.execEventNormalized, values.normalized],
  ];
  process.stdout.write(`node ${process.version}, ${cpus().length} cpus, load average before: ${load()}; ${ROUNDS} rounds x values per set\n\n`);
  process.stdout.write('| values | n | bytes avg | variant | wall us/value | CPU us/value |\n|---|---|---|---|---|---|\n');
  for (const [label, topic, vals] of sets) {
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false, subjectNameStrategyType: SubjectNameStrategyType.TOPIC });
    const codec = new ValueCodec<unknown, unknown>(createRegistryClient(registry.url), topic, topicSpec(topic as never).schemaText);
    await codec.prepare();
    const id = codec.writerSchemaId ?? -1;
    const type = avro.Type.forSchema(JSON.parse(topicSpec(topic as never).schemaText) as avro.Schema);
    const header = Buffer.from([0, 0, 0, 0, 0]);
    header.writeInt32BE(id, 1);
    const scratch = Buffer.allocUnsafe(1 << 16);
    const n = vals.length;
    const at = (i: number): object => vals[i] as object;

    const encoded = vals.map((v) => codec.encodeSync(v));
    const old0 = await serializer.serialize(topic, at(0));
    if (!old0.equals(encoded[0] ?? Buffer.alloc(0))) throw new Error(`${label}: encodeSync bytes differ from AvroSerializer's`);
    const bytesAvg = encoded.reduce((s, b) => s + b.length, 0) / n;
    const reader = new ValueCodec<unknown>(createRegistryClient(registry.url), topic, topicSpec(topic as never).schemaText);
    await reader.decode(encoded[0] ?? null);
    const resolver = type.createResolver(avro.Type.forSchema(JSON.parse(topicSpec(topic as never).schemaText) as avro.Schema));
    // The decode that shipped before: async per message, always through avsc's resolver.
    const oldDecode = async (b: Buffer): Promise<unknown> => ({ ok: true, value: type.fromBuffer(b.subarray(5), resolver), schemaId: b.readInt32BE(1) });

    const variants: Variant[] = [
      { name: 'encode: old await AvroSerializer.serialize', run: (i) => serializer.serialize(topic, at(i)) },
      { name: 'encode: await codec.encode (new, async)', run: (i) => codec.encode(at(i)) },
      { name: 'encode: toBuffer + Buffer.concat (sync)', run: (i) => { const body = type.toBuffer(at(i)); return Buffer.concat([header, body], 5 + body.length); } },
      { name: 'encode: scratch encode + one copy (sync)', run: (i) => { const end = type.encode(at(i), scratch, 5); if (end < 0) throw new RangeError('scratch too small'); header.copy(scratch, 0); return Buffer.from(scratch.subarray(0, end)); } },
      { name: 'encode: codec.encodeSync (slab, new)', run: (i) => codec.encodeSync(at(i)) },
      { name: 'decode: old await, resolver', run: (i) => oldDecode(encoded[i] as Buffer) },
      { name: 'decode: await codec.decode (new)', run: (i) => reader.decode(encoded[i] as Buffer) },
      { name: 'decode: sync, resolver', run: (i) => type.fromBuffer((encoded[i] as Buffer).subarray(5), resolver) },
      { name: 'decode: codec.decodeSync (no resolver, new)', run: (i) => reader.decodeSync(encoded[i] as Buffer) },
    ];
    const tallies = await measure(variants, n);
    for (const v of variants) {
      const t = tallies.get(v.name);
      if (t === undefined || t.n === 0) continue;
      process.stdout.write(`| ${label} | ${t.n} | ${Math.round(bytesAvg)} | ${v.name} | ${fmt((t.wallMs * 1000) / t.n)} | ${fmt(t.cpuUs / t.n)} |\n`);
    }
    const cpu = (name: string): number => { const t = tallies.get(name); return t === undefined ? NaN : t.cpuUs / t.n; };
    ratios.push(`${label}: encode CPU old/new ${fmt(cpu(variants[0]?.name ?? '') / cpu(variants[4]?.name ?? ''))}x, decode CPU old/new ${fmt(cpu(variants[5]?.name ?? '') / cpu(variants[8]?.name ?? ''))}x`);
  }
  process.stdout.write(`\n${ratios.join('\n')}\nload average after: ${load()}\n`);
} finally {
  await registry.close();
  await rm(dir, { recursive: true, force: true });
}
