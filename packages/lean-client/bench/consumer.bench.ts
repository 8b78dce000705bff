/**
 * Fetch-only cost: kafkajs eachBatch (doing nothing) vs the lean consumer, side by side in one run.
 *
 *   npm run bench:consumer                    # 200k messages, 12 partitions, 2 rounds
 *   BENCH_MESSAGES=50000 BENCH_ROUNDS=1 npm run bench:consumer
 *
 * The broker runs as a child process (`warmcast broker`), as in bench/ingest.bench.ts, so its CPU
 * is measured apart (from /proc). Messages: keys like ingest's (user ids, ~20 bytes) and values of
 * 60-420 bytes (ingest's Avro requests and metrics are ~80-400 bytes), pre-loaded with kafkajs
 * (<= ~900 KB per send). Each client consumes every message once in a fresh group; the clock and
 * the CPU counters start before it connects (joining included) and stop at its last batch.
 * Rounds alternate the clients so load on the shared cores hits both alike.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { LeanConsumer } from '../src/index.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const PARTITIONS = 12;
const TOPIC = 'bench.consume';
// Same fetch sizes as services/ingest's kafkajs consumer.
const MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;
const MAX_BYTES = 32 * 1024 * 1024;

function startBroker(dir: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/bin/warmcast.js', 'broker', '--port', '0', '--data', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"broker listening"'));
      if (line !== undefined) resolve({ proc, port: Number((JSON.parse(line) as { port: number }).port) });
    });
    proc.on('exit', (code) => reject(new Error(`broker exited ${code}: ${out}`)));
  });
}

function procCpu(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11] ?? 0) + Number(f[12] ?? 0)) / 100; // utime + stime, USER_HZ 100
}

/** Deterministic values: 60-420 bytes of Avro-like varied bytes. */
function messages(n: number): { key: string; value: Buffer }[] {
  let s = 42;
  const rnd = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32; };
  return Array.from({ length: n }, (_, i) => {
    const v = Buffer.allocUnsafe(60 + Math.floor(rnd() * 360));
    for (let j = 0; j < v.length; j++) v[j] = Math.floor(rnd() * 96) + 32;
    return { key: `user-${String(i % 5000).padStart(8, '0')}-bench`, value: v };
  });
}

interface Sample { client: string; messages: number; seconds: number; firstBatch: number; cpu: number; brokerCpu: number }

/**
 * Runs consume(onBatch) until every message was seen. Times from before connect() to the last
 * batch: both clients decode a whole Fetch response before the first eachBatch (kafkajs) or per
 * partition (lean), so starting at the first batch would hide most of the decoding. Joining the
 * group is included (a few ms of CPU; ~0.1-3 s of wall clock, mostly the broker's join wait).
 */
async function measure(client: string, brokerPid: number, consume: (onBatch: (n: number) => void) => Promise<() => Promise<void>>): Promise<Sample> {
  let seen = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const b0 = procCpu(brokerPid);
  let first = 0;
  let done!: (s: Sample) => void;
  const finished = new Promise<Sample>((r) => { done = r; });
  const stop = await consume((n) => {
    if (first === 0) first = performance.now();
    seen += n;
    if (seen === MESSAGES) {
      const c = process.cpuUsage(c0);
      done({ client, messages: seen, seconds: (performance.now() - t0) / 1000, firstBatch: (first - t0) / 1000, cpu: (c.user + c.system) / 1e6, brokerCpu: procCpu(brokerPid) - b0 });
    }
  });
  const sample = await finished;
  await stop();
  return sample;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-bench-consumer-'));
  let broker: ChildProcess | undefined;
  try {
    const b = await startBroker(join(dir, 'kafka'));
    broker = b.proc;
    const brokers = [`127.0.0.1:${b.port}`];
    const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers, logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const all = messages(MESSAGES);
    const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
    const tLoad = performance.now();
    for (let i = 0; i < all.length; i += 3000) await producer.send({ topic: TOPIC, acks: -1, messages: all.slice(i, i + 3000) });
    await producer.disconnect();
    const bytes = all.reduce((s, m) => s + m.value.length + m.key.length, 0);
    console.log(`pre-loaded ${MESSAGES} messages (${(bytes / 1e6).toFixed(1)} MB keys+values, ${PARTITIONS} partitions) in ${((performance.now() - tLoad) / 1000).toFixed(1)} s`);

    const kafkajsRun = (round: number) => (onBatch: (n: number) => void): Promise<() => Promise<void>> => (async () => {
      const consumer = kafka.consumer({ groupId: `bench-kafkajs-${round}`, maxBytesPerPartition: MAX_BYTES_PER_PARTITION, maxBytes: MAX_BYTES });
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async ({ batch, resolveOffset }) => {
        const last = batch.messages[batch.messages.length - 1];
        if (last !== undefined) resolveOffset(last.offset);
        onBatch(batch.messages.length);
      } });
      return () => consumer.disconnect();
    })();
    const leanRun = (round: number, prefetch: boolean) => (onBatch: (n: number) => void): Promise<() => Promise<void>> => (async () => {
      const consumer = new LeanConsumer({ brokers, clientId: 'bench-lean', groupId: `bench-lean-${round}-${prefetch}`, maxBytesPerPartition: MAX_BYTES_PER_PARTITION, maxBytes: MAX_BYTES, prefetch });
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await consumer.run({ eachBatch: async ({ batch, resolveOffset }) => {
        const last = batch.messages[batch.messages.length - 1];
        if (last !== undefined) resolveOffset(last.offset);
        onBatch(batch.messages.length);
      } });
      return () => consumer.disconnect();
    })();

    const samples: Sample[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ['kafkajs', 'lean', 'lean (no prefetch)'] : ['lean (no prefetch)', 'lean', 'kafkajs'];
      for (const client of order) {
        samples.push(await measure(client, b.proc.pid ?? 0, client === 'kafkajs' ? kafkajsRun(r) : leanRun(r, client === 'lean')));
        console.log(JSON.stringify(samples[samples.length - 1]));
      }
    }
    const rows = samples.map((s) => [s.client, String(s.messages), s.seconds.toFixed(2), s.firstBatch.toFixed(2), Math.round(s.messages / (s.seconds - s.firstBatch)).toLocaleString('en-US'), (s.cpu * 1e6 / s.messages).toFixed(2), (s.brokerCpu * 1e6 / s.messages).toFixed(2)]);
    const head = ['client (eachBatch, no work)', 'messages', 'seconds', 'to 1st batch (join)', 'msgs/s after 1st batch', 'cpu us/msg (this process)', 'broker cpu us/msg'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (l: string[]): string => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(`\n${[fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n')}\n\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  } finally {
    if (broker !== undefined && broker.exitCode === null) {
      const p = broker;
      await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGTERM'); });
    }
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
