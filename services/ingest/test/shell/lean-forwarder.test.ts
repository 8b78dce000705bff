// The lean forwarder against the embedded broker: records read back with kafkajs (and kcat
// when installed) on the partition kafkajs's own default partitioner picks for the key.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Topics, createRegistryClient } from '@warmcast/kit';
import type { NormalizedEventInput } from '@warmcast/kit';
import { KeyCache, LeanForwarder, murmur2, partitionOf } from '../../src/shell/lean-forwarder.ts';
import { startStack } from '../integration/stack.ts';
import type { Stack } from '../integration/stack.ts';
import { readTopic } from '../integration/read-topic.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;

describe('murmur2 partitioning', () => {
  it('matches kafkajs (= the Java client) for keys of every length mod 4', () => {
    for (let i = 0; i < 2000; i++) {
      const key = Buffer.from(`user-${i}-${'x'.repeat(i % 7)}`);
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      expect(partitionOf(key, 12)).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 12);
    }
    expect(murmur2(Buffer.alloc(0))).toBe(kafkajsMurmur2(Buffer.alloc(0)));
  });
});

describe('KeyCache', () => {
  it('gives the key bytes and the partitioner hash once per key, and stays bounded', () => {
    const cache = new KeyCache(3);
    for (const k of ['a', 'bb', 'user-ccc', 'dddd']) {
      const e = cache.get(k);
      expect(e.bytes.toString('utf8')).toBe(k);
      expect(e.hash % 12).toBe(partitionOf(Buffer.from(k), 12));
      expect(e.hash).toBeGreaterThanOrEqual(0);
    }
    expect(cache.size).toBe(1); // full at 3: cleared before 'dddd'
    expect(cache.get('dddd')).toBe(cache.get('dddd'));
  });
});

let stack: Stack;
beforeAll(async () => { stack = await startStack({ warehouse: false }); await stack.prepare(4); }, 60_000);
afterAll(async () => { await stack?.stop(); }, 60_000);

function event(i: number): NormalizedEventInput {
  return { eventId: `request:r${i}`, userKey: `k${i % 7}`, kind: 'REQUEST', requestId: `r${i}`, functionId: 'f', eventTime: 1_700_000_000_000 + i, ingestedAt: 1_700_000_100_000 + i };
}

describe('LeanForwarder on the embedded broker', () => {
  it('produces whole batches that kafkajs and kcat read back, keyed and partitioned like kafkajs', async () => {
    const f = new LeanForwarder({ brokers: stack.brokers, clientId: 'lean-test', registry: createRegistryClient(stack.registryUrl), log: pino({ level: 'silent' }) });
    await f.start();
    const N = 5000;
    await f.send(Array.from({ length: N / 2 }, (_, i) => ({ key: `k${i % 7}`, value: event(i) })));
    await f.send(Array.from({ length: N / 2 }, (_, i) => ({ key: `k${(i + N / 2) % 7}`, value: event(i + N / 2) })));
    await f.close();
    expect(f.sent).toBe(N);

    const consumer = stack.kafka('check').consumer({ groupId: 'lean-check' });
    const seen: { partition: number; key: string; requestId: number }[] = [];
    const got = await readTopic(stack.kafka(), stack.registryUrl, Topics.execEventNormalized, N);
    expect(got).toHaveLength(N);
    // Per key, order is kept.
    const byKey = new Map<string, number[]>();
    for (const g of got) { const l = byKey.get(g.key!) ?? []; l.push(Number(g.value.requestId.slice(1))); byKey.set(g.key!, l); }
    for (const l of byKey.values()) expect(l).toEqual([...l].sort((a, b) => a - b));
    // Partition placement as kafkajs would choose it.
    await consumer.connect();
    await consumer.subscribe({ topics: [Topics.execEventNormalized], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ partition, message }) => {
        seen.push({ partition, key: message.key!.toString(), requestId: 0 });
        if (seen.length >= N) resolve();
      } });
    });
    await consumer.disconnect();
    for (const s of seen) expect(s.partition).toBe((kafkajsMurmur2(Buffer.from(s.key)) & 0x7fffffff) % 4);

    // kcat (librdkafka), when installed, reads the same count.
    const kcat = await promisify(execFile)('kcat', ['-b', stack.brokers[0]!, '-C', '-t', Topics.execEventNormalized, '-e', '-q', '-f', '%k\n']).catch(() => undefined);
    if (kcat !== undefined) expect(kcat.stdout.trim().split('\n')).toHaveLength(N);
  }, 90_000);
});
