// Group behaviour of the lean consumer on the real embedded broker: resume after commit, two
// members splitting 12 partitions co-partitioned, a member leaving, a broker restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { coPartition } from '../../src/index.ts';
import { collect, lean } from './helpers.ts';

let env: Embedded;
beforeAll(async () => { env = await startEmbedded({ name: 'lean-group', topics: 'none' }); });
afterAll(async () => { await env.stop(); });

async function topicWith(kafka: kafkajs.Kafka, topic: string, partitions: number, count: number, from = 0): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  if (from === 0) await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition: (from + i) % partitions, value: `m${from + i}` })) });
  await producer.disconnect();
}

const values = (got: { message: { value: Buffer | null } }[]): string[] => got.map((g) => g.message.value?.toString() ?? '');

describe('LeanConsumer in a group', () => {
  it('resumes after the committed offset when restarted', async () => {
    await topicWith(env.kafka(), 'g.resume', 2, 40);
    const first = lean(env.brokers, 'g-resume');
    const a = await collect(first, ['g.resume'], { commit: true });
    await a.until(40);
    await first.disconnect();
    await topicWith(env.kafka(), 'g.resume', 2, 10, 40);
    const second = lean(env.brokers, 'g-resume');
    const b = await collect(second, ['g.resume']);
    await b.until(10);
    await second.disconnect();
    expect(values(b.got).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${40 + i}`).sort());
  });

  it('two members split 12 partitions co-partitioned; one leaving hands its partitions over, nothing lost', async () => {
    await topicWith(env.kafka(), 'g.a', 12, 120);
    await topicWith(env.kafka(), 'g.b', 12, 120);
    const m1 = lean(env.brokers, 'g-split');
    const m2 = lean(env.brokers, 'g-split');
    const c1 = await collect(m1, ['g.a', 'g.b'], { commit: true });
    const c2 = await collect(m2, ['g.a', 'g.b'], { commit: true });
    await expect.poll(() => c1.got.length + c2.got.length, { timeout: 30_000 }).toBe(240);
    // Settled: each owns partition p of both topics, as coPartition says for the two member ids.
    await expect.poll(() => Object.keys(m1.currentAssignment()).length > 0 && Object.keys(m2.currentAssignment()).length > 0, { timeout: 30_000 }).toBe(true);
    const plan = coPartition([m1.memberId, m2.memberId], { 'g.a': [...Array(12).keys()], 'g.b': [...Array(12).keys()] });
    const sorted = (a: Record<string, number[]>): Record<string, number[]> => Object.fromEntries(Object.entries(a).map(([t, ps]) => [t, [...ps].sort((x, y) => x - y)]).sort());
    expect(sorted(m1.currentAssignment())).toEqual(sorted(plan.get(m1.memberId) ?? {}));
    expect(sorted(m2.currentAssignment())).toEqual(sorted(plan.get(m2.memberId) ?? {}));
    expect(m1.currentAssignment()['g.a']).toEqual(m1.currentAssignment()['g.b']);

    await m2.disconnect(); // leaves the group
    await topicWith(env.kafka(), 'g.a', 12, 24, 120);
    await expect.poll(() => (m1.currentAssignment()['g.a'] ?? []).length, { timeout: 30_000 }).toBe(12);
    await expect.poll(() => c1.got.filter((g) => g.topic === 'g.a' && Number(g.message.value?.toString().slice(1)) >= 120).length, { timeout: 30_000 }).toBe(24);
    await m1.disconnect();
    // Every message at least once (duplicates only for what was fetched but not committed).
    const seen = new Set([...c1.got, ...c2.got].map((g) => `${g.topic}/${g.message.value?.toString()}`));
    expect(seen.size).toBe(264);
  });

  it('shares a group with a kafkajs member using the same protocol name', async () => {
    await topicWith(env.kafka(), 'g.mixed', 4, 40);
    const { AssignerProtocol } = kafkajs;
    const { CO_PARTITIONED_PROTOCOL } = await import('../../src/index.ts');
    const assigner: kafkajs.PartitionAssigner = ({ cluster }) => ({
      name: CO_PARTITIONED_PROTOCOL, version: 0,
      async assign({ members, topics }) {
        const parts = Object.fromEntries(topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((m) => m.partitionId)]));
        return [...coPartition(members.map((m) => m.memberId), parts)].map(([memberId, assignment]) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }) }));
      },
      protocol({ topics }) { return { name: CO_PARTITIONED_PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }; },
    });
    const kj = env.kafka('mixed-kafkajs').consumer({ groupId: 'g-mixed', partitionAssigners: [assigner], sessionTimeout: 6_000, heartbeatInterval: 200 });
    const kjGot: string[] = [];
    let kjAssigned: number[] = [];
    kj.on(kj.events.GROUP_JOIN, (e) => { kjAssigned = e.payload.memberAssignment['g.mixed'] ?? []; });
    await kj.connect();
    await kj.subscribe({ topics: ['g.mixed'], fromBeginning: true });
    await kj.run({ eachMessage: async ({ message }) => { kjGot.push(message.value?.toString() ?? ''); } });
    const m = lean(env.brokers, 'g-mixed');
    const c = await collect(m, ['g.mixed'], { commit: true });
    await expect.poll(() => kjAssigned.length === 2 && (m.currentAssignment()['g.mixed'] ?? []).length === 2, { timeout: 30_000 }).toBe(true);
    await expect.poll(() => new Set([...kjGot, ...values(c.got)]).size, { timeout: 30_000 }).toBe(40);
    expect([...kjAssigned, ...(m.currentAssignment()['g.mixed'] ?? [])].sort()).toEqual([0, 1, 2, 3]);
    await m.disconnect();
    await kj.disconnect();
  });
});

describe('LeanConsumer across a broker restart', () => {
  it('reconnects, rejoins and continues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warmcast-lean-restart-'));
    const logger = pino({ level: 'silent' });
    const options = { host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger };
    let broker = await startBroker({ ...options, port: 0 });
    const port = broker.port;
    const brokers = [`127.0.0.1:${port}`];
    const kafka = new kafkajs.Kafka({ clientId: 'restart', brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
    const m = lean(brokers, 'g-restart', { maxRetryMs: 200 });
    try {
      await topicWith(kafka, 'r.t', 2, 20);
      const c = await collect(m, ['r.t'], { commit: true });
      await c.until(20);
      await broker.close();
      broker = await startBroker({ ...options, port });
      await topicWith(kafka, 'r.t', 2, 20, 20);
      await c.until(40);
      expect(new Set(values(c.got)).size).toBe(40);
    } finally {
      await m.disconnect();
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
