/**
 * OffsetCommit (key 8), versions 2-7 (v8+ flexible: not advertised; kafkajs uses v5,
 * librdkafka v7). v0-1 (ZooKeeper-era storage, per-partition timestamps) are not offered.
 * - Accepted from a member of the current generation, or with generation -1 and no member
 *   only while the group has no members (simple consumer, kafkajs admin.setOffsets).
 *   Otherwise ILLEGAL_GENERATION (22) / UNKNOWN_MEMBER_ID (25) / REBALANCE_IN_PROGRESS (27),
 *   as Kafka's GroupCoordinator.handleCommitOffsets.
 * - A partition that does not exist gets UNKNOWN_TOPIC_OR_PARTITION (3); metadata longer than
 *   4096 characters (Kafka's offset.metadata.max.bytes) gets OFFSET_METADATA_TOO_LARGE (12).
 * - retentionTimeMs (v2-4) is ignored: offsets are kept until the group is deleted.
 * - Answered only after the OffsetStore made the offsets durable.
 */
import { GroupError } from '../core/group-errors.ts';
import type { CommitEntry } from '../groups/coordinator.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

const MAX_METADATA_CHARS = 4096;

export const offsetCommitHandler: ApiHandler<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  minVersion: 2,
  maxVersion: 7,
  async handle(broker, request) {
    const entries: CommitEntry[] = [];
    const codes = request.topics.map((t) => t.partitions.map((p): number | undefined => {
      if (broker.logs.partition(t.name, p.partitionIndex) == null) return GroupError.UNKNOWN_TOPIC_OR_PARTITION;
      if (p.committedMetadata !== null && p.committedMetadata.length > MAX_METADATA_CHARS) return GroupError.OFFSET_METADATA_TOO_LARGE;
      entries.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata });
      return undefined; // decided by the group check below
    }));
    const groupCode = await broker.groups.commitOffsets(request.groupId, request.generationIdOrMemberEpoch, request.memberId, entries);
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t, i) => ({
        name: t.name,
        partitions: t.partitions.map((p, j) => ({ partitionIndex: p.partitionIndex, errorCode: codes[i]?.[j] ?? groupCode })),
      })),
    };
  },
};
