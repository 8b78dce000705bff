// What kafkajs and kcat produced (every codec), consumed by the lean consumer byte for byte; a
// batch that cannot be decoded is handed over and stepped past, never retried forever.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { Compression, encodeRecordBatch } from '@warmcast/kafka-protocol';
import { LeanClientError, allDecompressors } from '../../src/index.ts';
import type { LeanUndecodableBatch } from '../../src/index.ts';
import { collect, createTopic, lean, produceBatches } from './helpers.ts';

let env: Embedded;
beforeAll(async () => { env = await startEmbedded({ name: 'lean-consume', topics: 'none' }); });
afterAll(async () => { await env.stop(); });

// Async: the broker runs in this process, a blocking exec would starve it.
function kcat(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    p.stdin.end(input);
  });
}

describe('LeanConsumer reads', () => {
  it('what kafkajs produced (plain and gzip), keys, values, headers and timestamps identical', async () => {
    await createTopic(env, 't.kafkajs', 3);
    const producer = env.kafka().producer();
    await producer.connect();
    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 17}`, value: Buffer.from(Array.from({ length: 1 + (i % 50) }, (_, j) => (i * 31 + j) & 0xff)), headers: i % 3 === 0 ? { h: `v${i}` } : undefined, timestamp: String(1_700_000_000_000 + i) }));
    await producer.send({ topic: 't.kafkajs', messages: sent.slice(0, 150) });
    await producer.send({ topic: 't.kafkajs', messages: sent.slice(150), compression: 1 });
    await producer.disconnect();
    const c = lean(env.brokers, 'g-kafkajs');
    const col = await collect(c, ['t.kafkajs']);
    await col.until(300);
    // Every batch was resolved to its end: the Fetch sent during delivery is the one used next.
    await expect.poll(() => c.counts.prefetchesUsed, { timeout: 10_000 }).toBeGreaterThan(0);
    await c.disconnect();
    expect(col.got).toHaveLength(300);
    const byKeyTs = new Map(col.got.map((g) => [g.message.timestamp, g.message]));
    for (const s of sent) {
      const m = byKeyTs.get(s.timestamp);
      expect(m?.key?.toString()).toBe(s.key);
      expect(m?.value?.equals(s.value)).toBe(true);
      expect(m?.headers['h']?.toString()).toBe(s.headers?.h);
    }
    // Offsets are dense per partition, from 0.
    for (const p of [0, 1, 2]) {
      const offsets = col.got.filter((g) => g.partition === p).map((g) => Number(g.message.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  // kcat 1.7.1 on librdkafka 2.0.2 (Debian), builtin.features include gzip, snappy, lz4, zstd:
  // `kcat -V`. librdkafka writes raw snappy and LZ4 frames. The counting decompressors prove each
  // batch really went through its codec (librdkafka sends a batch uncompressed when compressing
  // does not shrink it, so the lines are compressible).
  it.each([['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const)('what kcat produced (-z %s), byte for byte', async (name, id) => {
    const topic = `t.kcat.${name}`;
    await createTopic(env, topic, 1);
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 40)} ${'€'.repeat(i % 3)}`);
    await kcat(['-P', '-b', env.brokers[0]!, '-t', topic, '-p', '0', '-K', ':', '-z', name], lines.map((l, i) => `key${i}:${l}`).join('\n') + '\n');
    const used = new Map<number, number>();
    const decompressors = Object.fromEntries(Object.entries(allDecompressors).map(([k, fn]) => [k, (b: Buffer) => { used.set(Number(k), (used.get(Number(k)) ?? 0) + 1); return fn!(b); }]));
    const c = lean(env.brokers, `g-kcat-${name}`, { decompressors, checkCrcs: true });
    const col = await collect(c, [topic]);
    await col.until(500);
    await c.disconnect();
    expect(col.got.map((g) => g.message.value?.toString())).toEqual(lines);
    expect(col.got.map((g) => g.message.key?.toString())).toEqual(lines.map((_, i) => `key${i}`));
    expect(col.got.map((g) => g.message.offset)).toEqual(lines.map((_, i) => String(i)));
    expect([...used.keys()]).toEqual(id === 0 ? [] : [id]);
    expect(c.counts.undecodable).toBe(0);
  });

  describe('a batch that cannot be decoded, between good ones', () => {
    // Good batches around a batch with codec id 7 (no Kafka codec) and one whose lz4 frame is
    // garbage after the magic; the CRCs are valid, so the broker takes them as they are.
    const good = (base: number, n: number): Buffer => encodeRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ key: `k${base + i}`, value: `good ${base + i}`, timestamp: 1_700_000_000_000 + base + i })) });
    const bad = (codec: number, stream: Buffer): Buffer => encodeRecordBatch({ records: [0, 1, 2].map((i) => ({ value: `lost ${i}`, timestamp: 1_700_000_000_000 })), compression: { codec, compress: () => stream } });
    const bogus = bad(7, Buffer.from('whatever codec 7 would be'));
    const corruptLz4 = bad(Compression.lz4, Buffer.from('04224d1860407a0a000000deadbeefdeadbeef00000000', 'hex'));

    it('is handed to eachUndecodableBatch whole (offsets, bytes as stored, reason naming the codec), and the good batches after it are delivered', async () => {
      await createTopic(env, 't.undecodable', 1);
      const offsets = await produceBatches(env, 't.undecodable', 0, [good(0, 2), bogus, good(5, 2), corruptLz4, good(10, 3)]);
      expect(offsets).toEqual([0n, 2n, 5n, 7n, 10n]);
      const c = lean(env.brokers, 'g-undecodable');
      const got: string[] = [];
      const bads: LeanUndecodableBatch[] = [];
      await c.connect();
      await c.subscribe({ topics: ['t.undecodable'], fromBeginning: true });
      await c.run({
        eachBatch: async ({ batch, resolveOffset }) => {
          got.push(...batch.messages.map((m) => `${m.offset}:${m.value?.toString()}`));
          resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
        },
        eachUndecodableBatch: async ({ batch, resolveOffset }) => {
          bads.push({ ...batch, bytes: Buffer.from(batch.bytes) });
          resolveOffset(batch.lastOffset);
        },
      });
      await expect.poll(() => got.length, { timeout: 10_000 }).toBe(7);
      await c.disconnect();
      expect(got).toEqual(['0:good 0', '1:good 1', '5:good 5', '6:good 6', '10:good 10', '11:good 11', '12:good 12']);
      expect(bads.map((b) => [b.topic, b.partition, b.baseOffset, b.lastOffset])).toEqual([['t.undecodable', 0, '2', '4'], ['t.undecodable', 0, '7', '9']]);
      expect(bads[0]?.reason).toBe('record batch attributes name unknown codec 7; Kafka codecs are 0-4');
      expect(bads[1]?.reason).toMatch(/^lz4 batch \(codec 3\) failed to decompress: .+/);
      // As stored: the broker set the base offset (outside the CRC), everything from magic on is what was sent.
      expect(bads[0]?.bytes.subarray(16).equals(bogus.subarray(16))).toBe(true);
      expect(bads[1]?.bytes.subarray(16).equals(corruptLz4.subarray(16))).toBe(true);
      expect(bads[1]?.bytes.readBigInt64BE(0)).toBe(7n);
      expect(c.counts.undecodable).toBe(2);
    });

    it('without eachUndecodableBatch, stops the partition there with UNDECODABLE_BATCH (not retriable) and skips nothing', async () => {
      await createTopic(env, 't.undecodable.stall', 1);
      await produceBatches(env, 't.undecodable.stall', 0, [good(0, 2), corruptLz4, good(5, 1)]);
      const c = lean(env.brokers, 'g-undecodable-stall', { initialRetryMs: 5, maxRetryMs: 20 });
      const col = await collect(c, ['t.undecodable.stall']);
      await expect.poll(() => c.counts.errors, { timeout: 10_000 }).toBeGreaterThan(1);
      await c.disconnect();
      expect(c.lastError).toMatchObject({ code: 'UNDECODABLE_BATCH', retriable: false });
      expect((c.lastError as Error).message).toMatch(/^t\.undecodable\.stall\/0 offsets 2\.\.4: lz4 batch \(codec 3\) failed to decompress/);
      expect(col.got.map((g) => g.message.offset)).toEqual(['0', '1']);
    });
  });

  it('fetches a batch the handler did not resolve again, from its first offset (kafkajs eachBatchAutoResolve: false)', async () => {
    await createTopic(env, 't.unresolved', 1);
    const producer = env.kafka().producer();
    await producer.connect();
    await producer.send({ topic: 't.unresolved', messages: Array.from({ length: 10 }, (_, i) => ({ value: `u${i}` })) });
    await producer.disconnect();
    const c = lean(env.brokers, 'g-unresolved');
    await c.connect();
    await c.subscribe({ topics: ['t.unresolved'], fromBeginning: true });
    const deliveries: string[][] = [];
    await c.run({ eachBatch: async ({ batch, resolveOffset }) => {
      deliveries.push(batch.messages.map((m) => m.value?.toString() ?? ''));
      if (deliveries.length > 1) resolveOffset(batch.messages[batch.messages.length - 1]!.offset); // the first delivery is not resolved
    } });
    await expect.poll(() => deliveries.length, { timeout: 10_000 }).toBeGreaterThan(1);
    await c.disconnect();
    expect(deliveries[0]?.[0]).toBe('u0');
    expect(deliveries[1]?.[0]).toBe('u0');
  });

  it('rejects a missing topic with UNKNOWN_TOPIC (not retriable) and an unreachable broker with CONNECTION_FAILED (retriable)', async () => {
    const c = lean(env.brokers, 'g-missing');
    await c.connect();
    const err = await c.subscribe({ topics: ['t.does-not-exist'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeanClientError);
    expect(err).toMatchObject({ code: 'UNKNOWN_TOPIC', retriable: false });
    await c.disconnect();
    const dead = lean(['127.0.0.1:1'], 'g-dead', { initialRetryMs: 1, maxRetryMs: 2 });
    const down = await dead.connect().catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'CONNECTION_FAILED', retriable: true });
    await expect(dead.run({ eachBatch: async () => {} })).rejects.toMatchObject({ code: 'NOT_RUNNING' });
  });
});
