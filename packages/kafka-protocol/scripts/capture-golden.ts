/**
 * Captures golden request frames from REAL clients: kafkajs 2.2.4 (root node_modules) and
 * Debian's kcat (librdkafka). Starts a loopback TCP server on port 0 that speaks just enough
 * Kafka (using this package's codec) for each client to get to the requests we want, and writes
 * the first frame of each (scenario, api, version) as hex to test/golden/<client>-<api>-v<ver>.hex.
 * Run: npx tsx packages/kafka-protocol/scripts/capture-golden.ts   (takes ~30-60 s)
 * The files are generated: re-running overwrites them (clientId/host parts may differ).
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import * as K from '../src/index.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'golden');
const TOPIC = 'golden';
const captured = new Map<string, string>();
let scenario = 'none';

const kebab = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Advertised ranges: CLIENT_NOTES.md section 3. */
const ADVERTISED: [number, number, number][] = [
  [0, 3, 7], [1, 4, 11], [2, 1, 3], [3, 0, 6], [8, 2, 7], [9, 1, 7], [10, 0, 2], [11, 0, 5], [12, 0, 3],
  [13, 0, 3], [14, 0, 3], [15, 0, 4], [16, 0, 2], [18, 0, 3], [19, 0, 4], [20, 0, 1], [22, 0, 4],
];

function respond(port: number, apiKey: number, v: number, req: Record<string, unknown>): object | null {
  const broker = { nodeId: 1, host: '127.0.0.1', port };
  const partitionsOf = (topics: unknown): { name: string; parts: number[] }[] =>
    ((topics as { name?: string; topic?: string; partitions?: ({ partitionIndex?: number } | number)[]; partitionIndexes?: number[] }[] | null) ?? [])
      .map((t) => ({ name: t.name ?? t.topic ?? TOPIC, parts: (t.partitionIndexes ?? t.partitions?.map((p) => (typeof p === 'number' ? p : p.partitionIndex ?? 0)) ?? [0]) }));
  switch (apiKey) {
    case K.ApiKey.ApiVersions:
      return { apiKeys: ADVERTISED.map(([apiKey, minVersion, maxVersion]) => ({ apiKey, minVersion, maxVersion })) };
    case K.ApiKey.Metadata: {
      const topics = req.topics === null ? [{ name: TOPIC }] : (req.topics as { name: string }[]);
      return {
        brokers: [broker], clusterId: 'golden', controllerId: 1,
        topics: topics.map((t) => ({ name: t.name, errorCode: 0, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1] }] })),
      };
    }
    case K.ApiKey.Produce:
      if (req.acks === 0) return null;
      return { responses: (req.topicData as { name: string; partitionData: { index: number }[] }[]).map((t) => ({
        name: t.name, partitionResponses: t.partitionData.map((p) => ({ index: p.index, baseOffset: 0n, logAppendTimeMs: -1n })),
      })) };
    case K.ApiKey.InitProducerId: return { producerId: 4242n, producerEpoch: 0 };
    case K.ApiKey.FindCoordinator: return { ...broker, coordinators: [{ key: String(req.key), ...broker }] };
    case K.ApiKey.JoinGroup: {
      const p = (req.protocols as { name: string; metadata: Buffer }[])[0]!;
      const memberId = 'member-1';
      return { generationId: 1, protocolType: 'consumer', protocolName: p.name, leader: memberId, memberId, members: [{ memberId, metadata: p.metadata }] };
    }
    case K.ApiKey.SyncGroup: {
      const mine = (req.assignments as { memberId: string; assignment: Buffer }[]).find((a) => a.memberId === req.memberId);
      return { protocolType: 'consumer', protocolName: req.protocolName ?? null,
        assignment: mine?.assignment ?? K.encodeConsumerProtocolAssignment({ assignedPartitions: [{ topic: TOPIC, partitions: [0] }] }) };
    }
    case K.ApiKey.OffsetFetch:
      return { topics: partitionsOf(req.topics).map((t) => ({ name: t.name, partitions: t.parts.map((i) => ({ partitionIndex: i, committedOffset: -1n, metadata: '' })) })) };
    case K.ApiKey.ListOffsets:
      return { topics: partitionsOf(req.topics).map((t) => ({ name: t.name, partitions: t.parts.map((i) => ({ partitionIndex: i, timestamp: -1n, offset: 0n })) })) };
    case K.ApiKey.Fetch:
      return { responses: ((req.topics as { topic: string; partitions: { partition: number }[] }[])).map((t) => ({
        topic: t.topic, partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, highWatermark: 0n, lastStableOffset: 0n, logStartOffset: 0n, records: null })),
      })) };
    case K.ApiKey.CreateTopics:
      return { topics: (req.topics as { name: string }[]).map((t) => ({ name: t.name, numPartitions: 1, replicationFactor: 1 })) };
    default:
      return {};
  }
}

function serve(sock: Socket, port: number): void {
  let pending = Buffer.alloc(0);
  let chain = Promise.resolve();
  sock.on('error', () => undefined);
  sock.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const frame = Buffer.from(pending.subarray(4, 4 + pending.readInt32BE(0)));
      pending = pending.subarray(4 + frame.length);
      chain = chain.then(() => handle(sock, port, frame));
    }
  });
}

async function handle(sock: Socket, port: number, frame: Buffer): Promise<void> {
  const { header, bodyOffset } = K.decodeRequestHeader(frame);
  const { requestApiKey: key, requestApiVersion: v, correlationId } = header;
  const spec = K.apiSpec(key);
  const name = `${scenario}-${kebab(spec?.name ?? `key${key}`)}-v${v}`;
  if (!captured.has(name)) captured.set(name, frame.toString('hex'));
  if (key === K.ApiKey.ApiVersions && v > 3) {
    sock.write(K.encodeResponse(18, 0, correlationId, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] }));
    return;
  }
  const req = K.decodeRequest(key, v, frame, bodyOffset) as Record<string, unknown>;
  if (key === K.ApiKey.Fetch) await new Promise((r) => setTimeout(r, Math.min(Number(req.maxWaitMs ?? 0), 300)));
  const body = respond(port, key, v, req);
  if (body !== null && !sock.destroyed) sock.write(K.encodeResponse(key, v, correlationId, body));
}

const waitFor = async (names: string[], ms: number): Promise<void> => {
  const until = performance.now() + ms;
  while (performance.now() < until && !names.every((n) => captured.has(n))) await new Promise((r) => setTimeout(r, 100));
};

function kcat(args: string[], stdin: string | null, killAfterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const p = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'ignore'] });
    const timer = setTimeout(() => p.kill('SIGINT'), killAfterMs);
    p.on('exit', () => { clearTimeout(timer); resolve(); });
    if (stdin !== null) p.stdin.end(stdin); else p.stdin.end();
  });
}

async function main(): Promise<void> {
  const server = createServer((s) => serve(s, port));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const brokers = [`127.0.0.1:${port}`];
  const kafka = (id: string): Kafka => new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 } });

  scenario = 'kafkajs';
  const producer = kafka('golden-producer').producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: 'hello' }, { value: 'world' }] });
  await producer.disconnect();

  scenario = 'kafkajs-idempotent';
  const idem = kafka('golden-idempotent').producer({ idempotent: true, maxInFlightRequests: 1 });
  await idem.connect();
  await idem.send({ topic: TOPIC, messages: [{ value: 'once' }] });
  await idem.disconnect();

  scenario = 'kafkajs';
  const admin = kafka('golden-admin').admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'golden-created', numPartitions: 2 }], waitForLeaders: false });
  await admin.disconnect();

  const consumer = kafka('golden-consumer').consumer({ groupId: 'golden-group' });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  await waitFor(['kafkajs-offset-fetch-v4', 'kafkajs-fetch-v11'], 15000);
  await consumer.disconnect();

  scenario = 'kcat';
  const b = ['-b', brokers[0]!];
  await kcat([...b, '-L'], null, 10000);
  await kcat([...b, '-P', '-t', TOPIC], 'hello\nworld\n', 10000);
  scenario = 'kcat-idempotent';
  await kcat([...b, '-P', '-t', TOPIC, '-X', 'enable.idempotence=true'], 'once\n', 10000);
  scenario = 'kcat';
  const g = kcat([...b, '-G', 'golden-kcat', TOPIC], null, 20000);
  await waitFor(['kcat-offset-fetch-v7', 'kcat-sync-group-v3'], 15000);
  await new Promise((r) => setTimeout(r, 1000));
  await g;

  server.close();
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.hex')) rmSync(join(outDir, f));
  const keep = [...captured.keys()].sort();
  for (const n of keep) writeFileSync(join(outDir, `${n}.hex`), `${captured.get(n)!}\n`);
  console.log(keep.join('\n'));
}

await main();
process.exit(0);
