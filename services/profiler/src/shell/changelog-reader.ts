// Reads the profiler changelog from the beginning up to its current end and keeps the newest
// entry per key for the wanted source partitions. The embedded broker stores but does not
// compact, so many versions per key arrive; later offsets win. kafkajs has no manual partition
// assignment, so this uses a throwaway consumer group of its own (one join per restore; the
// group is left behind: harmless, it has no committed offsets).
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Topics } from '@warmcast/kit';
import type { Logger, ProfilerStateEntry, TypedProducer } from '@warmcast/kit';

export interface RestoredPartition {
  readonly entries: ProfilerStateEntry[];
  /** changelog records read (all versions, all keys of the wanted partitions) */
  readonly read: number;
}

/** Changelog partition that holds the state of an input partition. */
export const changelogPartitionOf = (sourcePartition: number, changelogPartitions: number): number => sourcePartition % changelogPartitions;

export async function readChangelog(opts: { kafka: Kafka; producer: Pick<TypedProducer, 'codec'>; groupPrefix: string; sourcePartitions: readonly number[]; log: Logger }): Promise<Map<number, RestoredPartition>> {
  const topic = Topics.profilerStateChangelog;
  const codec = opts.producer.codec(topic);
  const admin = opts.kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const wantedSources = new Set(opts.sourcePartitions);
  const wantedLog = new Set(opts.sourcePartitions.map((p) => changelogPartitionOf(p, ends.length)));
  const remaining = new Map<number, number>(); // changelog partition -> last offset to read
  for (const e of ends) if (wantedLog.has(e.partition) && Number(e.high) > Number(e.low)) remaining.set(e.partition, Number(e.high) - 1);
  const newest = new Map<number, Map<string, ProfilerStateEntry>>(opts.sourcePartitions.map((p) => [p, new Map()]));
  let read = 0;
  if (remaining.size > 0) {
    const consumer = opts.kafka.consumer({ groupId: `${opts.groupPrefix}.restore.${randomUUID()}`, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const last = remaining.get(batch.partition);
            if (last === undefined) return;
            for (const m of batch.messages) {
              const off = Number(m.offset);
              if (off > last) break;
              const d = await codec.decode(m.value);
              if (!d.ok) throw new Error(`changelog ${topic}[${batch.partition}]@${off}: ${d.text}`);
              read++;
              const byKey = newest.get(d.value.sourcePartition);
              if (byKey && wantedSources.has(d.value.sourcePartition)) byKey.set(d.value.userKey, d.value);
            }
            if (Number(batch.lastOffset()) >= last) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        }).catch(reject);
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      });
    } finally {
      await consumer.disconnect();
    }
  }
  opts.log.info({ partitions: opts.sourcePartitions, read }, 'changelog restored');
  return new Map([...newest].map(([p, m]) => [p, { entries: [...m.values()], read }]));
}
