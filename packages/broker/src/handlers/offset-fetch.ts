/**
 * OffsetFetch (key 9), versions 1-7; v6-7 are flexible (librdkafka 2.0.2 uses v7, kafkajs v4).
 * v0 (ZooKeeper offsets) and v8+ (batched groups) are not offered.
 * - A partition without a committed offset answers offset -1, metadata "" and no error; the
 *   clients then apply their auto.offset.reset through ListOffsets.
 * - topics null (v2+) means every partition the group has offsets for (kafkajs admin
 *   fetchOffsets sends [] as null).
 * - requireStable (v7) is accepted: without transactions every committed offset is stable.
 */
import { GroupError } from '../core/group-errors.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

type TopicOut = OffsetFetchResponse['topics'][number];

export const offsetFetchHandler: ApiHandler<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  minVersion: 1,
  maxVersion: 7,
  handle(broker, request) {
    const groups = broker.groups;
    let topics: TopicOut[];
    if (request.topics === null) {
      const byTopic = new Map<string, TopicOut>();
      for (const o of groups.groupOffsets(request.groupId)) {
        let t = byTopic.get(o.topic);
        if (t === undefined) { t = { name: o.topic, partitions: [] }; byTopic.set(o.topic, t); }
        t.partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: GroupError.NONE });
      }
      topics = [...byTopic.values()];
    } else {
      topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          const o = groups.fetchOffset(request.groupId, t.name, p);
          return { partitionIndex: p, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: GroupError.NONE };
        }),
      }));
    }
    return { throttleTimeMs: 0, errorCode: GroupError.NONE, topics, groups: [] };
  },
};
