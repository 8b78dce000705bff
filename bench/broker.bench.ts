/**
 * Broker throughput: produce and consume, 100 B and 1 KiB messages, with kafkajs (batched sends
 * of 1000 messages, 4 in flight) and with kcat (librdkafka: `-P -l file`, `-C -e`), next to
 * kafkajs's own encode ceiling (building the same Produce requests with its encoder, no network).
 * The broker runs as a child process (`warmcast broker`), as in production, so client and
 * broker compete for the same 2 cores the way they would on this machine.
 *
 *   npm run bench:broker            # BENCH_SCALE=0.2 for a quick run
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const BATCH = 1000;
const IN_FLIGHT = 4;

interface Row { client: string; op: string; size: number; messages: number; seconds: number }
const rows: Row[] = [];

function startBroker(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/bin/warmcast.js', 'broker', '--port', '0', '--data', dataDir], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"broker listening"'));
      if (line !== undefined) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on('exit', (code) => reject(new Error(`broker exited ${code}: ${out}`)));
  });
}

function payload(size: number, i: number): string {
  const head = `${i}:`;
  return head + 'x'.repeat(Math.max(0, size - head.length));
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function kafkajsProduce(kafka: Kafka, topic: string, size: number, n: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  let next = 0;
  const seconds = await timed(async () => {
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) {
        const start = next;
        next += BATCH;
        const messages = Array.from({ length: Math.min(BATCH, n - start) }, (_, i) => ({ value: payload(size, start + i) }));
        await producer.send({ topic, acks: -1, messages });
      }
    }));
  });
  await producer.disconnect();
  rows.push({ client: 'kafkajs', op: `produce (batches of ${BATCH}, ${IN_FLIGHT} in flight, acks -1)`, size, messages: n, seconds });
}

async function kafkajsConsume(kafka: Kafka, topic: string, size: number, n: number): Promise<void> {
  const consumer = kafka.consumer({ groupId: `bench-${topic}`, maxBytesPerPartition: 10 << 20, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let joined = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => { joined = performance.now(); });
  const seconds = await new Promise<number>((resolve, reject) => {
    consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= n) resolve((performance.now() - joined) / 1000);
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  // Timed from joining the group (the 3 s initial rebalance delay is not throughput).
  rows.push({ client: 'kafkajs', op: 'consume (eachBatch, from group join)', size, messages: n, seconds });
}

async function kafkajsEncodeCeiling(size: number, n: number): Promise<void> {
  const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (args: object) => { encode(): Promise<{ buffer: Buffer }> };
  let bytes = 0;
  const seconds = await timed(async () => {
    for (let start = 0; start < n; start += BATCH) {
      const messages = Array.from({ length: Math.min(BATCH, n - start) }, (_, i) => ({ value: payload(size, start + i) }));
      const req = produceRequest({ acks: -1, timeout: 30000, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages }] }] });
      bytes += (await req.encode()).buffer.length;
    }
  });
  if (bytes < n * size) throw new Error(`encoded ${bytes} bytes for ${n} messages of ${size} B`);
  rows.push({ client: 'kafkajs', op: 'encode only (no network): ceiling', size, messages: n, seconds });
}

async function kcatProduce(port: number, dir: string, topic: string, size: number, n: number): Promise<void> {
  const file = join(dir, `${topic}.txt`);
  await writeFile(file, Array.from({ length: n }, (_, i) => payload(size, i)).join('\n') + '\n');
  const seconds = await timed(async () => { await run('kcat', ['-b', `127.0.0.1:${port}`, '-P', '-t', topic, '-l', file], { maxBuffer: 1 << 20 }); });
  rows.push({ client: 'kcat', op: '-P -l file (acks -1, defaults)', size, messages: n, seconds });
}

async function kcatConsume(port: number, topic: string, size: number, n: number): Promise<void> {
  let lines = 0;
  const seconds = await timed(() => new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', ['-b', `127.0.0.1:${port}`, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => { for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines += 1; });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}`))));
  }));
  if (lines !== n) throw new Error(`kcat read ${lines} of ${n} messages from ${topic}`);
  rows.push({ client: 'kcat', op: '-C -e (from beginning)', size, messages: n, seconds });
}

function table(): string {
  const head = '| client | operation | msg size | messages | seconds | msg/s | MB/s |\n|---|---|---:|---:|---:|---:|---:|';
  const body = rows.map((r) => {
    const rate = r.messages / r.seconds;
    return `| ${r.client} | ${r.op} | ${r.size} B | ${r.messages} | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate * r.size / 1e6).toFixed(1)} |`;
  });
  return [head, ...body].join('\n');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-bench-'));
  const { child, port } = await startBroker(join(dir, 'data'));
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: ['kjs-100', 'kjs-1024', 'kcat-100', 'kcat-1024', 'kcat-warmup'].map((topic) => ({ topic, numPartitions: 1 })) });
    await admin.disconnect();
    for (const [size, n] of [[100, Math.round(200_000 * SCALE)], [1024, Math.round(50_000 * SCALE)]] as const) {
      await kafkajsEncodeCeiling(size, n);
      await kafkajsProduce(kafka, `kjs-${size}`, size, n);
      await kafkajsConsume(kafka, `kjs-${size}`, size, n);
    }
    // Warm-up (not reported): the broker's JIT and the page cache, as a long-running broker has them.
    await kcatProduce(port, dir, 'kcat-warmup', 100, Math.round(200_000 * SCALE));
    rows.pop();
    for (const [size, n] of [[100, Math.round(1_000_000 * SCALE)], [1024, Math.round(200_000 * SCALE)]] as const) {
      await kcatProduce(port, dir, `kcat-${size}`, size, n);
      await kcatConsume(port, `kcat-${size}`, size, n);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nwarmcast broker bench: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, scale ${SCALE}\n`);
  console.log(table());
}

await main();
