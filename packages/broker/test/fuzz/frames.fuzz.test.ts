/**
 * Seeded fuzzing over TCP. Frames are first captured from a real kafkajs client talking to a
 * live broker (admin, producer, consumer group), then mutated (bit flips, byte overwrites,
 * truncation, extension, field swaps, random garbage) and sent to the same broker, one per
 * connection, while a good kafkajs producer keeps writing in parallel. Checks:
 * - a frame the codec cannot decode (or with an unknown key) makes the broker close THAT
 *   connection by itself;
 * - the good client keeps being served (every send acknowledged, offsets contiguous);
 * - the data stored before fuzzing reads back byte-identical.
 * Bounded: FRAMES frames, a few seconds. Reproduce a failure with FUZZ_SEED=<seed>.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { decodeRequest, decodeRequestHeader } from '@warmcast/kafka-protocol';
import { handlers } from '../../src/handlers/index.ts';
import { RawClient } from '../integration/raw-client.ts';
import { startTestBroker, type TestBroker } from '../integration/helpers.ts';

const FRAMES = 2500;
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261123);
// Never send requests that would legitimately destroy the data we compare afterwards.
const DESTRUCTIVE = new Set([20, 21, 37, 42]); // DeleteTopics, DeleteRecords, CreatePartitions, DeleteGroups

let tb: TestBroker;
beforeAll(async () => { tb = await startTestBroker(); });
afterAll(async () => { await tb?.stop(); });

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** kafkajs with a socket factory that records every request frame it writes. */
function capturingKafka(frames: Buffer[]): Kafka {
  return new Kafka({
    clientId: 'capture', brokers: tb.brokers, logLevel: logLevel.NOTHING,
    socketFactory: ({ host, port, onConnect }) => {
      const socket = connect({ host, port }, onConnect);
      let pending = Buffer.alloc(0);
      const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
      (socket as { write: unknown }).write = (chunk: Buffer | string, ...rest: unknown[]): boolean => {
        pending = Buffer.concat([pending, Buffer.from(chunk)]);
        while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
          frames.push(Buffer.from(pending.subarray(4, 4 + pending.readInt32BE(0))));
          pending = pending.subarray(4 + pending.readInt32BE(0));
        }
        return write(Buffer.from(chunk), ...rest);
      };
      return socket;
    },
  });
}

type Verdict = 'undecodable' | 'destructive' | 'decodable';
const registered = new Map(handlers.map((h) => [h.apiKey, h]));

function classify(frame: Buffer): Verdict {
  let key: number;
  let version: number;
  let offset: number;
  try {
    const h = decodeRequestHeader(frame);
    key = h.header.requestApiKey;
    version = h.header.requestApiVersion;
    offset = h.bodyOffset;
  } catch {
    return 'undecodable';
  }
  if (DESTRUCTIVE.has(key)) return 'destructive';
  const handler = registered.get(key);
  if (handler === undefined) return 'undecodable';
  if (version < handler.minVersion || version > handler.maxVersion) return key === 18 ? 'decodable' : 'undecodable';
  try {
    decodeRequest(key, version, frame, offset);
    return 'decodable';
  } catch {
    return 'undecodable';
  }
}

function mutate(base: Buffer, rnd: () => number): Buffer {
  const f = Buffer.from(base);
  const pick = (n: number): number => Math.floor(rnd() * n);
  switch (pick(7)) {
    case 0: { // flip 1-8 bits
      for (let i = 0, n = 1 + pick(8); i < n; i++) f[pick(f.length)]! ^= 1 << pick(8);
      return f;
    }
    case 1: { // overwrite a byte with a boundary value
      const values = [0x00, 0xff, 0x7f, 0x80, 0x01];
      for (let i = 0, n = 1 + pick(4); i < n; i++) f[pick(f.length)] = values[pick(values.length)]!;
      return f;
    }
    case 2: return f.subarray(0, Math.max(0, pick(f.length))); // truncate
    case 3: return Buffer.concat([f, Buffer.from(Array.from({ length: 1 + pick(64) }, () => pick(256)))]); // trailing junk
    case 4: { // a length or count field (int16/int32 position) set to a huge or negative value
      if (f.length < 8) return f;
      const at = 8 + pick(Math.max(1, f.length - 12));
      if (at + 4 <= f.length) f.writeInt32BE([0x7fffffff, -2, 0x10000, -1][pick(4)]!, at);
      return f;
    }
    case 5: { // another api key / version with this body
      if (f.length >= 4) { f.writeInt16BE(pick(70) - 2, 0); f.writeInt16BE(pick(20) - 2, 2); }
      return f;
    }
    default: return Buffer.from(Array.from({ length: pick(200) }, () => pick(256))); // garbage
  }
}

function withSize(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Sends one frame on a fresh connection. Resolves true if the BROKER closed it (we never end it first). */
function sendAndWatch(port: number, frame: Buffer, waitForClose: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Socket = connect(port, '127.0.0.1', () => {
      s.write(withSize(frame));
      if (!waitForClose) {
        // A decodable request may legitimately wait (JoinGroup, Fetch long poll): drop it.
        setImmediate(() => { s.destroy(); resolve(false); });
      }
    });
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => resolve(true));
  });
}

async function fetchAll(topic: string): Promise<Buffer> {
  const c = await RawClient.open(tb.broker.port);
  const r = await c.request<{ responses: { partitions: { records: Buffer }[] }[] }>(1, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 24, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 24 }] }],
  });
  c.close();
  return r.responses[0]!.partitions[0]!.records;
}

describe('fuzzed frames over TCP', () => {
  it(`${FRAMES} mutated kafkajs frames: bad connections closed, good client served, data intact (seed ${SEED})`, async () => {
    // 1. Capture real frames.
    const captured: Buffer[] = [];
    const k = capturingKafka(captured);
    const admin = k.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'fuzz-data', numPartitions: 1 }] });
    const producer = k.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'fuzz-data', messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { h: 'x' } })) });
    await producer.disconnect();
    const consumer = k.consumer({ groupId: 'fuzz-group', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['fuzz-data'], fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => { seen += 1; if (seen === 30) resolve(); } }).catch(reject);
    });
    await consumer.disconnect();
    await admin.fetchOffsets({ groupId: 'fuzz-group', topics: ['fuzz-data'] });
    await admin.fetchTopicOffsets('fuzz-data');
    await admin.disconnect();
    const keys = new Set(captured.map((f) => f.readInt16BE(0)));
    expect(keys.size).toBeGreaterThanOrEqual(10); // ApiVersions, Metadata, Produce, Fetch, groups, offsets...
    const before = await fetchAll('fuzz-data');
    expect(before.length).toBeGreaterThan(0);

    // 2. A good client keeps producing while the fuzzer runs.
    const good = new Kafka({ clientId: 'good', brokers: tb.brokers, logLevel: logLevel.NOTHING }).producer();
    await good.connect();
    let goodAcked = 0;
    let fuzzing = true;
    const goodLoop = (async () => {
      while (fuzzing) {
        await good.send({ topic: 'fuzz-good', acks: -1, messages: [{ value: `g${goodAcked}` }] });
        goodAcked += 1;
      }
    })();

    // 3. Fuzz.
    const rnd = mulberry32(SEED);
    const stats = { undecodable: 0, closedByBroker: 0, decodable: 0, skipped: 0 };
    const notClosed: string[] = [];
    const CONCURRENCY = 16;
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < FRAMES) {
        next += 1;
        const frame = mutate(captured[Math.floor(rnd() * captured.length)]!, rnd);
        const verdict = frame.length < 10 ? 'undecodable' : classify(frame);
        if (verdict === 'destructive') { stats.skipped += 1; continue; }
        if (frame.length < 10) {
          // Below the smallest header: the broker rejects the size prefix itself.
          stats.undecodable += 1;
          if (await sendAndWatch(tb.broker.port, frame, true)) stats.closedByBroker += 1;
          continue;
        }
        if (verdict === 'undecodable') {
          stats.undecodable += 1;
          if (await sendAndWatch(tb.broker.port, frame, true)) stats.closedByBroker += 1;
          else notClosed.push(frame.toString('hex').slice(0, 80));
        } else {
          stats.decodable += 1;
          await sendAndWatch(tb.broker.port, frame, false);
        }
      }
    }));
    fuzzing = false;
    await goodLoop;
    await good.disconnect();

    // 4. Verdicts.
    expect(notClosed).toEqual([]);
    expect(stats.closedByBroker).toBe(stats.undecodable);
    expect(stats.undecodable).toBeGreaterThan(FRAMES / 4);
    expect(goodAcked).toBeGreaterThan(0);
    const admin2 = new Kafka({ clientId: 'check', brokers: tb.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin2.connect();
    const [goodOffsets] = await admin2.fetchTopicOffsets('fuzz-good');
    await admin2.disconnect();
    expect(goodOffsets?.high).toBe(String(goodAcked)); // every acknowledged good send stored once, none lost
    const after = await fetchAll('fuzz-data');
    // Valid mutated Produce frames may append to fuzz-data; what was there must be unchanged.
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    console.log(`fuzz seed ${SEED}: ${JSON.stringify(stats)}, good sends ${goodAcked}, captured ${captured.length} frames of ${keys.size} api keys`);
  }, 120_000);
});
