// Creates catalogued topics with their catalogue settings (partitions, cleanup.policy,
// retention.ms); topics that exist are left alone (partition counts are never changed
// here: growing them re-maps keys to partitions and breaks per-user ordering).
import type { Admin } from 'kafkajs';
import type { LoadedTopic } from './core/catalogue.ts';

export interface TopicCreation {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configEntries: { name: string; value: string }[];
}

/** Pure: the CreateTopics entries for catalogue topics. pre: partitionsOverride >= 1 when given. */
export function topicCreations(topics: readonly LoadedTopic[], options: { replicationFactor?: number; partitionsOverride?: number } = {}): TopicCreation[] {
  return topics.map((t) => ({
    topic: t.name,
    numPartitions: options.partitionsOverride ?? t.partitions,
    replicationFactor: options.replicationFactor ?? 1,
    configEntries: [
      { name: 'cleanup.policy', value: t.cleanupPolicy },
      ...(t.retentionMs === null ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }]),
    ],
  }));
}

/** Creates the missing ones; returns the names it created. pre: admin is connected. */
export async function ensureTopics(admin: Admin, topics: readonly LoadedTopic[], options: { replicationFactor?: number; partitionsOverride?: number } = {}): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topicCreations(topics, options).filter((c) => !existing.has(c.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({ topics: missing, waitForLeaders: true });
  return missing.map((c) => c.topic);
}
