/**
 * librdkafka (Debian kcat 1.7.1), unmodified, against the embedded broker: metadata, 10,000
 * messages produced from a file and read back with CRC checks, cross-client reads with
 * kafkajs, compressed batches stored verbatim, and the idempotent producer (InitProducerId v4).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type KafkaMessage } from 'kafkajs';
import { startTestBroker, topicName, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const run = promisify(execFile);
let tb: TestBroker;

beforeAll(async () => { tb = await startTestBroker(); });
afterAll(async () => { await tb?.stop(); });

async function kcat(args: string[], input?: string): Promise<string> {
  const child = run('kcat', ['-b', tb.brokers[0]!, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

/** kcat -C from the beginning until EOF, CRCs checked, one line per message. */
async function kcatConsume(topic: string, extra: string[] = []): Promise<string[]> {
  const out = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'check.crcs=true', ...extra]);
  return out.split('\n').filter((l) => l.length > 0);
}

async function kafkajsConsume(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = tb.kafka('kjs').consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: KafkaMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer.run({ eachMessage: async ({ message }) => { seen.push(message); if (seen.length >= count) resolve(); } }).catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

describe('kcat (librdkafka 2.0.2)', () => {
  it('-L lists this broker and the topics', async () => {
    const topic = topicName('meta');
    const admin = tb.kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const out = await kcat(['-L']);
    expect(out).toContain(`broker 1 at 127.0.0.1:${tb.broker.port} (controller)`);
    expect(out).toContain(`topic "${topic}" with 2 partitions`);
  });

  it('-P -l of 10,000 messages, then -C -e with check.crcs reads all back in order', async () => {
    const topic = topicName('bulk');
    const lines = Array.from({ length: 10_000 }, (_, i) => `message-${i}-${'x'.repeat(i % 97)}`);
    const file = join(tb.dir, 'bulk.txt');
    await writeFile(file, `${lines.join('\n')}\n`);
    await kcat(['-P', '-t', topic, '-l', file]);
    expect(await kcatConsume(topic)).toEqual(lines);
  });

  it('kafkajs reads what kcat wrote (keys and values)', async () => {
    const topic = topicName('k2j');
    await kcat(['-P', '-t', topic, '-K', ':'], Array.from({ length: 100 }, (_, i) => `key${i}:value${i}`).join('\n') + '\n');
    const seen = await kafkajsConsume(topic, 100);
    expect(seen.map((m) => `${m.key?.toString()}:${m.value?.toString()}`)).toEqual(Array.from({ length: 100 }, (_, i) => `key${i}:value${i}`));
  });

  it('kcat reads what kafkajs wrote, plain and gzip, with CRCs checked', async () => {
    const topic = topicName('j2k');
    const producer = tb.kafka('p').producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `plain${i}` })) });
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `gzip${i}` })) });
    await producer.disconnect();
    const got = await kcatConsume(topic, ['-f', '%k=%s\\n']);
    expect(got).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `k${i}=plain${i}`),
      ...Array.from({ length: 50 }, (_, i) => `k${i}=gzip${i}`),
    ]);
  });

  it.each(['gzip', 'lz4', 'snappy'])('-z %s batches are stored verbatim and read back by kcat', async (codec) => {
    const topic = topicName(`z${codec}`);
    const lines = Array.from({ length: 2000 }, (_, i) => `${codec}-${i}-${'abc'.repeat(i % 20)}`);
    const file = join(tb.dir, `${codec}.txt`);
    await writeFile(file, `${lines.join('\n')}\n`);
    await kcat(['-P', '-t', topic, '-z', codec, '-l', file]);
    // Stored batches carry kcat's codec in attributes bits 0-2 (stored verbatim). librdkafka
    // sends a batch uncompressed when compression does not shrink it, so look for any.
    const c = await RawClient.open(tb.broker.port);
    const r = await c.request<{ responses: { partitions: { records: Buffer }[] }[] }>(1, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    });
    c.close();
    const records = r.responses[0]!.partitions[0]!.records;
    const codecs = new Set<number>();
    for (let pos = 0; pos + 61 <= records.length; pos += 12 + records.readInt32BE(pos + 8)) codecs.add(records.readInt16BE(pos + 21) & 7);
    expect([...codecs]).toContain({ gzip: 1, snappy: 2, lz4: 3 }[codec]);
    expect(await kcatConsume(topic)).toEqual(lines);
  });

  it('-o s@timestamp starts at the first batch at or after that time (ListOffsets by timestamp)', async () => {
    const topic = topicName('ts');
    const producer = tb.kafka('p').producer();
    await producer.connect();
    for (const [i, ts] of [1_700_000_000_000, 1_700_000_100_000, 1_700_000_200_000].entries()) {
      await producer.send({ topic, messages: [{ value: `at${i}`, timestamp: String(ts) }] });
    }
    await producer.disconnect();
    const out = await kcat(['-C', '-t', topic, '-o', 's@1700000050000', '-e', '-q', '-f', '%s\\n']);
    expect(out.split('\n').filter((l) => l !== '')).toEqual(['at1', 'at2']);
  });

  it('-X enable.idempotence=true produces (InitProducerId v4, flexible)', async () => {
    const topic = topicName('kidem');
    const lines = Array.from({ length: 500 }, (_, i) => `idem-${i}`);
    const file = join(tb.dir, 'idem.txt');
    await writeFile(file, `${lines.join('\n')}\n`);
    await kcat(['-P', '-t', topic, '-X', 'enable.idempotence=true', '-l', file]);
    expect(await kcatConsume(topic)).toEqual(lines);
  });
});
