// The whole path on the embedded broker and registry: the kit's BatchConsumerLoop on a
// LeanConsumer, a partition holding good Avro batches around a batch with codec id 7 and one with
// a corrupt lz4 stream (written through the wire protocol). The good messages reach the handler,
// each bad batch reaches ops.deadletter.v1 with its bytes and a reason naming the codec, and the
// group's committed offset ends past everything, so a restart reads nothing again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Compression, encodeRecordBatch } from '@warmcast/kafka-protocol';
import { BatchConsumerLoop, Topics, TypedProducer, createRegistryClient } from '@warmcast/kit';
import type { DeadLetter, ExecutionMetricsInput } from '@warmcast/kit';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { lean, produceBatches } from './helpers.ts';

const topic = Topics.execMetricsReported;
const log = pino({ level: 'silent' });
let env: Embedded;
beforeAll(async () => { env = await startEmbedded({ name: 'lean-dead-letter', topics: [topic, Topics.opsDeadletter], registerSchemas: true }); });
afterAll(async () => { await env.stop(); });

const t0 = 1_763_900_000_000;
const metrics = (id: string): ExecutionMetricsInput => ({
  requestId: id, userId: 'user-1', functionId: 'fn-1', durationMs: 120, cpuMs: 90, cpuCores: 0.5, memoryPeakMb: 64, ioReadBytes: 0, ioWriteBytes: 0,
  netInBytes: 0, netOutBytes: 0, gpuMs: null, start: 'WARM', startLatencyMs: 3.5, finishedAt: t0, producedAt: t0,
});
const bad = (codec: number, stream: Buffer): Buffer => encodeRecordBatch({ records: [0, 1].map((i) => ({ value: `lost ${i}`, timestamp: t0 })), compression: { codec, compress: () => stream } });

describe('BatchConsumerLoop on LeanConsumer, undecodable batches', () => {
  it('dead-letters each bad batch with its bytes and reason, handles every good message, and commits past all of it', async () => {
    const producer = new TypedProducer({ producer: env.kafka('dl-producer').producer(), registry: createRegistryClient(env.registryUrl) });
    await producer.start();
    const bogus = bad(7, Buffer.from('not any codec'));
    const corruptLz4 = bad(Compression.lz4, Buffer.from('04224d1860407a0a000000deadbeefdeadbeef00000000', 'hex'));
    const send = (ids: string[]) => producer.send(topic, ids.map((id) => ({ key: 'user-1', value: metrics(id), partition: 0 })));
    await send(['m0', 'm1']);
    const [bogusAt] = await produceBatches(env, topic, 0, [bogus]);
    await send(['m4']);
    const [lz4At] = await produceBatches(env, topic, 0, [corruptLz4]);
    await send(['m7', 'm8']);
    expect([bogusAt, lz4At]).toEqual([2n, 5n]);

    const handled: string[] = [];
    const loop = new BatchConsumerLoop({
      consumer: lean(env.brokers, 'dl-loop'), topics: [topic], producer, log, service: 'dl-test',
      handler: (b) => { handled.push(...b.values.map((v) => (v as { requestId: string }).requestId)); return { durable: Promise.resolve() }; },
    });
    const dead: DeadLetter[] = [];
    const dlq = new BatchConsumerLoop({
      consumer: lean(env.brokers, 'dl-reader'), topics: [Topics.opsDeadletter], producer, log, service: 'dl-reader',
      handler: (b) => { dead.push(...(b.values as DeadLetter[])); return { durable: Promise.resolve() }; },
    });
    await loop.start();
    await dlq.start();
    const admin = env.kafka('dl-admin').admin();
    await admin.connect();
    try {
      await expect.poll(() => handled.length + dead.length, { timeout: 15_000 }).toBe(7);
      expect(handled).toEqual(['m0', 'm1', 'm4', 'm7', 'm8']);
      expect(loop.counts.undecodableBatches).toBe(2);
      dead.sort((a, b) => a.sourceOffset - b.sourceOffset);
      expect(dead.map((d) => [d.sourceTopic, d.sourcePartition, d.sourceOffset, d.reasonCode, d.service, d.key])).toEqual([[topic, 0, 2, 'DECODE_FAILED', 'dl-test', null], [topic, 0, 5, 'DECODE_FAILED', 'dl-test', null]]);
      expect(dead[0]?.reasonText).toBe('undecodable record batch, offsets 2..3 (value: the batch as fetched): record batch attributes name unknown codec 7; Kafka codecs are 0-4');
      expect(dead[1]?.reasonText).toMatch(/^undecodable record batch, offsets 5\.\.6 \(value: the batch as fetched\): lz4 batch \(codec 3\) failed to decompress: .+/);
      // The batch as stored: the broker set its base offset (outside the CRC); the rest is what was sent.
      expect(dead[0]?.value?.subarray(16).equals(bogus.subarray(16))).toBe(true);
      expect(dead[1]?.value?.subarray(16).equals(corruptLz4.subarray(16))).toBe(true);
      expect(dead[1]?.value?.readBigInt64BE(0)).toBe(5n);
      // Committed past the last message (offset 9), the bad batches included.
      await expect.poll(async () => (await admin.fetchOffsets({ groupId: 'dl-loop', topics: [topic] }))[0]?.partitions.find((p) => p.partition === 0)?.offset, { timeout: 10_000 }).toBe('9');
    } finally {
      await admin.disconnect();
      await loop.close();
      await dlq.close();
      await producer.close();
    }

    // A restart in the same group starts at the committed offset: nothing is handled or dead-lettered again.
    await producer.start();
    await send(['m9']);
    const again: string[] = [];
    const restarted = new BatchConsumerLoop({
      consumer: lean(env.brokers, 'dl-loop'), topics: [topic], producer, log, service: 'dl-test',
      handler: (b) => { again.push(...b.values.map((v) => (v as { requestId: string }).requestId)); return { durable: Promise.resolve() }; },
    });
    await restarted.start();
    try {
      await expect.poll(() => again.length, { timeout: 10_000 }).toBe(1);
      expect(again).toEqual(['m9']);
      expect(restarted.counts.undecodableBatches).toBe(0);
    } finally {
      await restarted.close();
      await producer.close();
    }
  });
});
