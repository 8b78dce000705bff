import { describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { ensureTopics, topicCreations } from '../src/topic-admin.ts';
import { topicSpec } from '../src/topics.ts';

const compacted = topicSpec('pool.status.reported.v1');
const deleted = topicSpec('exec.request.received.v1');

describe('topicCreations', () => {
  it('carries partitions, cleanup policy and retention from the catalogue', () => {
    expect(topicCreations([deleted, compacted])).toEqual([
      { topic: 'exec.request.received.v1', numPartitions: 12, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: '604800000' }] },
      { topic: 'pool.status.reported.v1', numPartitions: 6, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ]);
  });

  it('applies overrides', () => {
    expect(topicCreations([deleted], { partitionsOverride: 2, replicationFactor: 3 })[0]).toMatchObject({ numPartitions: 2, replicationFactor: 3 });
  });
});

describe('ensureTopics', () => {
  it('creates only the missing topics', async () => {
    const created: string[][] = [];
    const admin = {
      listTopics: async () => ['exec.request.received.v1'],
      createTopics: async ({ topics }: { topics: { topic: string }[] }) => { created.push(topics.map((t) => t.topic)); return true; },
    } as unknown as Admin;
    expect(await ensureTopics(admin, [deleted, compacted])).toEqual(['pool.status.reported.v1']);
    expect(created).toEqual([['pool.status.reported.v1']]);
    expect(await ensureTopics({ listTopics: async () => ['exec.request.received.v1'] } as unknown as Admin, [deleted])).toEqual([]);
  });
});
