// What kafkajs and kcat produced, consumed by the lean consumer byte for byte.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { LeanClientError } from '../../src/index.ts';
import { collect, createTopic, lean } from './helpers.ts';

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

  it.each([['none', []], ['gzip', ['-z', 'gzip']]] as const)('what kcat produced (%s)', async (name, flags) => {
    const topic = `t.kcat.${name}`;
    await createTopic(env, topic, 1);
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 40)}`);
    await kcat(['-P', '-b', env.brokers[0]!, '-t', topic, '-p', '0', '-K', ':', ...flags], lines.map((l, i) => `key${i}:${l}`).join('\n') + '\n');
    const c = lean(env.brokers, `g-kcat-${name}`);
    const col = await collect(c, [topic]);
    await col.until(200);
    await c.disconnect();
    expect(col.got.map((g) => g.message.value?.toString())).toEqual(lines);
    expect(col.got.map((g) => g.message.key?.toString())).toEqual(lines.map((_, i) => `key${i}`));
  });

  it('names the codec of an lz4 batch (kcat -z lz4) in a non-retriable UNSUPPORTED_COMPRESSION and does not skip it', async () => {
    await createTopic(env, 't.kcat.lz4', 1);
    // Compressible lines: librdkafka sends a batch uncompressed when compressing does not shrink it.
    await kcat(['-P', '-b', env.brokers[0]!, '-t', 't.kcat.lz4', '-p', '0', '-z', 'lz4'], `${Array.from({ length: 200 }, () => 'x'.repeat(100)).join('\n')}\n`);
    const c = lean(env.brokers, 'g-kcat-lz4', { initialRetryMs: 5, maxRetryMs: 20 });
    const col = await collect(c, ['t.kcat.lz4']);
    await expect.poll(() => c.counts.errors, { timeout: 10_000 }).toBeGreaterThan(1);
    await c.disconnect();
    expect(c.lastError).toMatchObject({ code: 'UNSUPPORTED_COMPRESSION', retriable: false });
    expect((c.lastError as Error).message).toContain('lz4');
    expect(col.got).toEqual([]);
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
