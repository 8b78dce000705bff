import { describe, expect, it } from 'vitest';
import { coPartition } from '../../src/shell/co-partitioned-assigner.ts';

describe('coPartition', () => {
  it('gives partition p of both input topics to the same member', () => {
    const a = coPartition(['m-b', 'm-a', 'm-c'], { req: [0, 1, 2, 3, 4], met: [0, 1, 2, 3, 4] });
    expect(Object.fromEntries(a)).toEqual({
      'm-a': { req: [0, 3], met: [0, 3] },
      'm-b': { req: [1, 4], met: [1, 4] },
      'm-c': { req: [2], met: [2] },
    });
  });
  it('leaves extra members without partitions and handles one member', () => {
    expect([...coPartition(['x', 'y', 'z'], { t: [0] }).keys()]).toEqual(['x']);
    expect(Object.fromEntries(coPartition(['solo'], { a: [0, 1], b: [0, 1] }))).toEqual({ solo: { a: [0, 1], b: [0, 1] } });
    expect(coPartition([], { a: [0] }).size).toBe(0);
  });
});

describe('CoPartitionedAssigner on the embedded broker', () => {
  it('two members of one group each own the same partition numbers of both input topics', async () => {
    const { startStack } = await import('../integration/stack.ts');
    const { Topics } = await import('@warmcast/kit');
    const { CoPartitionedAssigner } = await import('../../src/shell/co-partitioned-assigner.ts');
    const stack = await startStack({ warehouse: false });
    try {
      // 3 partitions: kafkajs's round-robin would give request 0,2 + metrics 1 to one member (split pairs).
      await stack.prepare(3);
      const topics = [Topics.execRequestReceived, Topics.execMetricsReported];
      const joins = new Map<string, Record<string, number[]>>();
      const consumers = ['a', 'b'].map((id) => stack.kafka(`member-${id}`).consumer({ groupId: 'copart', partitionAssigners: [CoPartitionedAssigner], sessionTimeout: 10_000 }));
      for (const c of consumers) {
        c.on(c.events.GROUP_JOIN, (e) => { joins.set(e.payload.memberId, e.payload.memberAssignment); });
        await c.connect();
        await c.subscribe({ topics, fromBeginning: true });
        await c.run({ eachMessage: async () => {} });
      }
      await expect.poll(() => {
        const all = [...joins.values()];
        return all.length === 2 && all.every((a) => (a[topics[0]!]?.length ?? 0) > 0) ? all.map((a) => [...(a[topics[0]!] ?? [])].sort().join(',') + '|' + [...(a[topics[1]!] ?? [])].sort().join(',')).sort() : null;
      }, { timeout: 30_000 }).toEqual(['0,2|0,2', '1|1']);
      for (const c of consumers) await c.disconnect();
    } finally {
      await stack.stop();
    }
  }, 60_000);

  it('a lean member and a kafkajs member (CoPartitionedAssigner) in one group split partitions the same way', async () => {
    const { startStack } = await import('../integration/stack.ts');
    const { Topics } = await import('@warmcast/kit');
    const { CoPartitionedAssigner } = await import('../../src/shell/co-partitioned-assigner.ts');
    const { LeanConsumer } = await import('@warmcast/lean-client');
    const stack = await startStack({ warehouse: false });
    try {
      await stack.prepare(3);
      const topics = [Topics.execRequestReceived, Topics.execMetricsReported];
      let kjAssigned: Record<string, number[]> = {};
      const kj = stack.kafka('member-kafkajs').consumer({ groupId: 'copart-mixed', partitionAssigners: [CoPartitionedAssigner], sessionTimeout: 10_000, heartbeatInterval: 300 });
      kj.on(kj.events.GROUP_JOIN, (e) => { kjAssigned = e.payload.memberAssignment; });
      await kj.connect();
      await kj.subscribe({ topics, fromBeginning: true });
      await kj.run({ eachMessage: async () => {} });
      const lean = new LeanConsumer({ brokers: stack.brokers, clientId: 'member-lean', groupId: 'copart-mixed', heartbeatIntervalMs: 300, maxWaitMs: 100 });
      await lean.connect();
      await lean.subscribe({ topics, fromBeginning: true });
      await lean.run({ eachBatch: async () => {} });
      const view = (a: Record<string, number[]>): string => `${[...(a[topics[0]!] ?? [])].sort().join(',')}|${[...(a[topics[1]!] ?? [])].sort().join(',')}`;
      await expect.poll(() => [view(kjAssigned), view(lean.currentAssignment())].sort(), { timeout: 30_000 }).toEqual(['0,2|0,2', '1|1']);
      await lean.disconnect();
      await kj.disconnect();
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
