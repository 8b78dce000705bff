/**
 * CPU of the broker process per message, under the ingest workload's shape: 12 partitions,
 * ~760 B messages (the ingest bench's request/metrics mix averages that), Produce v7 of one
 * ~900 KB batch per request (LeanProducer's size), and full Fetch v11 requests of
 * 32 MiB / 4 MiB per partition (the ingest consumer's sizes) reading everything back.
 * The client is a raw socket speaking the codec, with the batch encoded once up front, so the
 * bench process stays small and the broker's own CPU (user + system of all its threads, from
 * /proc/<pid>/stat) is what is measured. Wall time is printed but moves with the machine's load.
 *
 *   npx tsx bench/broker-cpu.bench.ts                                  # BENCH_MESSAGES=200000, BENCH_ROUNDS=3
 *   BENCH_BROKER_PROF=/tmp/prof npx tsx bench/broker-cpu.bench.ts      # + a CPU profile of the current broker
 *   BENCH_BROKER_NODE_ARGS=--trace-gc BENCH_BROKER_LOG=/tmp/broker.log npx tsx bench/broker-cpu.bench.ts  # node flags for both brokers, their stdout to a file
 *   BENCH_BASELINE=/tmp/broker-old npx tsx bench/broker-cpu.bench.ts   # old vs new, alternated per round
 *     (BENCH_BASELINE: a copy of the repo with the previous broker and its own node_modules, see
 *     bench/broker-baseline.sh; both brokers run for the whole bench, the idle one costs ~0)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  decodeCreateTopicsResponse, decodeFetchResponse, decodeProduceResponse, encodeRecordBatch, encodeRequest, forEachBatch,
  type RequestHeader,
} from '@warmcast/kafka-protocol';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PARTITIONS = 12;
const VALUE_BYTES = 760;
const BATCH_BYTES = 900 * 1024;
const IN_FLIGHT = 4;
/** BENCH_BROKER_ARGS="--fsync os": more `warmcast broker` flags, for both brokers. */
const EXTRA_ARGS = (process.env['BENCH_BROKER_ARGS'] ?? '').split(' ').filter((a) => a !== '');

function startBroker(root: string, dataDir: string, nodeArgs: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'packages/cli/bin/warmcast.js'), 'broker', '--port', '0', '--data', dataDir, ...EXTRA_ARGS], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const log = process.env['BENCH_BROKER_LOG'];
    child.stdout!.on('data', (c: Buffer) => {
      if (log !== undefined) appendFileSync(log, c);
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"broker listening"'));
      if (line !== undefined) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on('exit', (code) => reject(new Error(`broker in ${root} exited ${code}: ${out}`)));
  });
}

/** user + system CPU seconds of a process, all threads (Linux /proc; USER_HZ = 100). */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Minimal client: requests pipelined on one socket, answers matched in order. */
class RawClient {
  private buffered: Buffer[] = [];
  private size = 0;
  private waiting: { resolve: (frame: Buffer) => void; reject: (err: Error) => void }[] = [];
  private corr = 0;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (c: Buffer) => this.onData(c));
    socket.on('error', (err) => { for (const w of this.waiting.splice(0)) w.reject(err); });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private onData(c: Buffer): void {
    this.buffered.push(c);
    this.size += c.length;
    for (;;) {
      if (this.size < 4) return;
      if (this.buffered[0]!.length < 4) this.buffered = [Buffer.concat(this.buffered)];
      const n = this.buffered[0]!.readInt32BE(0);
      if (this.size < 4 + n) return; // joined once per response, not once per chunk
      const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
      const rest = all.subarray(4 + n);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
      this.waiting.shift()!.resolve(all.subarray(4, 4 + n));
    }
  }

  request(apiKey: number, version: number, body: object): Promise<Buffer> {
    const header: RequestHeader = { requestApiKey: apiKey, requestApiVersion: version, correlationId: ++this.corr, clientId: 'bench-cpu' };
    const p = new Promise<Buffer>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.socket.write(encodeRequest(header, body));
    return p;
  }

  close(): void { this.socket.destroy(); }
}

/** One batch of ~900 KB, encoded once; the broker stamps offsets in its own copy. */
function makeBatch(): { batch: Buffer; count: number } {
  const count = Math.floor(BATCH_BYTES / (VALUE_BYTES + 40));
  const value = Buffer.alloc(VALUE_BYTES);
  for (let i = 0; i < value.length; i++) value[i] = (i * 131 + 7) & 0xff;
  const records = Array.from({ length: count }, (_, i) => ({ key: `user-${i % 997}`, value, timestamp: 1_700_000_000_000 + i }));
  return { batch: encodeRecordBatch({ records }), count };
}

/** CPU seconds of the main thread (tid = pid: JS, GC's main part, socket I/O) and of all other threads (libuv pool: file I/O; V8 helpers). */
function threadSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = tid === String(pid) ? 'main' : 'other threads';
      const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* thread gone */ }
  }
  return out;
}

interface Sample { variant: string; round: number; op: string; messages: number; bytes: number; seconds: number; cpu: number; threads: string }

async function measure(pid: number, fn: () => Promise<{ messages: number; bytes: number }>): Promise<{ messages: number; bytes: number; seconds: number; cpu: number; threads: string }> {
  const c0 = cpuSeconds(pid);
  const th0 = threadSeconds(pid);
  const t0 = performance.now();
  const r = await fn();
  const seconds = (performance.now() - t0) / 1000;
  // /proc ticks are 10 ms: let the broker finish writing its last answer's accounting.
  await new Promise((res) => setTimeout(res, 50));
  const th = [...threadSeconds(pid)].map(([k, v]) => [k, v - (th0.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
  return { ...r, seconds, cpu: cpuSeconds(pid) - c0, threads: th.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') };
}

async function runOne(variant: string, round: number, pid: number, port: number, out: Sample[]): Promise<void> {
  const topic = `cpu-${variant}-${round}`;
  const c = await RawClient.open(port);
  try {
    const created = decodeCreateTopicsResponse(4, await c.request(19, 4, { topics: [{ name: topic, numPartitions: PARTITIONS, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000 }));
    const err = created.body.topics[0]?.errorCode ?? -1;
    if (err !== 0) throw new Error(`create ${topic}: error ${err}`);
    const { batch, count } = makeBatch();
    const requests = Math.ceil(MESSAGES / count);

    const produced = await measure(pid, async () => {
      let next = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests) {
          const i = next++;
          const frame = await c.request(0, 7, { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: i % PARTITIONS, records: batch }] }] });
          const r = decodeProduceResponse(7, frame).body.responses[0]?.partitionResponses[0];
          if (r?.errorCode !== 0) throw new Error(`produce: error ${r?.errorCode}`);
        }
      }));
      return { messages: requests * count, bytes: requests * batch.length };
    });
    out.push({ variant, round, op: `produce v7, 1 batch of ${(batch.length / 1024).toFixed(0)} KiB per request, ${IN_FLIGHT} in flight, acks -1`, ...produced });

    const fetched = await measure(pid, async () => {
      const offsets = new Array<bigint>(PARTITIONS).fill(0n);
      const end = BigInt(Math.ceil(requests / PARTITIONS) * count); // upper bound; exact ends from the high watermarks
      let messages = 0;
      let bytes = 0;
      const ends = new Array<bigint>(PARTITIONS).fill(end);
      while (offsets.some((o, p) => o < ends[p]!)) {
        const frame = await c.request(1, 11, {
          replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 32 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, rackId: '',
          topics: [{ topic, partitions: offsets.map((o, partition) => ({ partition, fetchOffset: o, partitionMaxBytes: 4 << 20, currentLeaderEpoch: -1, logStartOffset: -1n })) }],
          forgottenTopicsData: [],
        });
        for (const p of decodeFetchResponse(11, frame).body.responses[0]?.partitions ?? []) {
          if (p.errorCode !== 0) throw new Error(`fetch ${p.partitionIndex}: error ${p.errorCode}`);
          ends[p.partitionIndex] = p.highWatermark;
          const records = p.records ?? Buffer.alloc(0);
          bytes += records.length;
          forEachBatch(records, (b) => {
            const base = b.readBigInt64BE(0);
            const n = b.readInt32BE(57);
            if (base + BigInt(n) > offsets[p.partitionIndex]!) {
              messages += Number(base + BigInt(n) - (base > offsets[p.partitionIndex]! ? base : offsets[p.partitionIndex]!));
              offsets[p.partitionIndex] = base + BigInt(n);
            }
          });
        }
      }
      return { messages, bytes };
    });
    if (fetched.messages !== requests * count) throw new Error(`fetched ${fetched.messages} of ${requests * count} messages`);
    out.push({ variant, round, op: 'fetch v11, 12 partitions, 32 MiB / 4 MiB per partition, from 0 to the end', ...fetched });
  } finally {
    c.close();
  }
}

function table(samples: readonly Sample[]): string {
  const head = '| broker | round | operation | messages | MB | seconds | broker CPU s | broker CPU us/msg | broker CPU ns/byte | CPU s by thread |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---|';
  const body = samples.map((s) => `| ${s.variant} | ${s.round} | ${s.op} | ${s.messages} | ${(s.bytes / 1e6).toFixed(0)} | ${s.seconds.toFixed(2)} | ${s.cpu.toFixed(2)} | ${(s.cpu * 1e6 / s.messages).toFixed(2)} | ${(s.cpu * 1e9 / s.bytes).toFixed(2)} | ${s.threads} |`);
  return [head, ...body].join('\n');
}

function summary(samples: readonly Sample[]): string {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = `${s.variant}\u0000${s.op}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const lines = [...groups].map(([k, ss]) => {
    const [variant, op] = k.split('\u0000');
    const us = ss.map((s) => s.cpu * 1e6 / s.messages).sort((a, b) => a - b);
    return `| ${variant} | ${op} | ${us.map((u) => u.toFixed(2)).join(', ')} | ${us[Math.floor(us.length / 2)]!.toFixed(2)} |`;
  });
  return ['| broker | operation | us/msg per round (sorted) | median |', '|---|---|---|---:|', ...lines].join('\n');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-bench-broker-cpu-'));
  const variants: { name: string; root: string }[] = [];
  const baseline = process.env['BENCH_BASELINE'];
  if (baseline !== undefined) variants.push({ name: 'baseline', root: baseline });
  variants.push({ name: 'current', root: ROOT });
  const brokers: { name: string; child: ChildProcess; port: number }[] = [];
  const samples: Sample[] = [];
  try {
    // BENCH_BROKER_PROF=<dir>: the current broker writes a V8 CPU profile there at exit.
    const prof = process.env['BENCH_BROKER_PROF'];
    const extraNode = (process.env['BENCH_BROKER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    for (const v of variants) {
      const nodeArgs = [...extraNode, ...(prof !== undefined && v.name === 'current' ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
      brokers.push({ name: v.name, ...await startBroker(v.root, join(dir, v.name), nodeArgs) });
    }
    // Round 0 warms up both brokers (JIT, page cache) and is not reported.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const b of brokers) await runOne(b.name, round, b.child.pid!, b.port, samples);
    }
  } finally {
    await Promise.all(brokers.map(({ child }) => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); })));
    await rm(dir, { recursive: true, force: true });
  }
  const reported = samples.filter((s) => s.round > 0);
  console.log(`\nbroker CPU bench: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${MESSAGES} messages of ${VALUE_BYTES} B per round, ${ROUNDS} rounds after a warm-up round\n`);
  console.log(table(reported));
  console.log(`\n${summary(reported)}\n\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await main();
