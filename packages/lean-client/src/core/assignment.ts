// Partition assignment, pure. The member JoinGroup elects leader runs an Assigner over every
// member's subscription and sends the result with SyncGroup; the others receive theirs.
// Protocol names are what the group agrees on: a lean member and a kafkajs member with
// CoPartitionedAssigner (same name, consumer-protocol v0 bytes) can share one group.

/** topic -> partition ids. */
export type TopicPartitions = Record<string, number[]>;

export interface GroupMember {
  readonly memberId: string;
  /** Topics the member subscribed to (from its JoinGroup metadata). */
  readonly topics: readonly string[];
}

export interface Assigner {
  /** Protocol name sent in JoinGroup; members of one group must share at least one. */
  readonly name: string;
  /** memberId -> its partitions. partitionsByTopic holds every topic any member subscribed to. */
  assign(members: readonly GroupMember[], partitionsByTopic: Readonly<Record<string, readonly number[]>>): Map<string, TopicPartitions>;
}

/** kafkajs's and services/ingest's protocol name: kept so mixed groups agree. */
export const CO_PARTITIONED_PROTOCOL = 'WarmcastCoPartitioned';

/**
 * Partition p of every topic -> member p mod n, members sorted by id. Keeps partition p of
 * several topics (ingest's requests and metrics, keyed alike) on one member.
 * Example: members [b, a], topics {t: [0,1,2]} -> a: {t: [0, 2]}, b: {t: [1]}.
 */
export function coPartition(memberIds: readonly string[], partitionsByTopic: Readonly<Record<string, readonly number[]>>): Map<string, TopicPartitions> {
  const sorted = [...memberIds].sort();
  const out = new Map<string, TopicPartitions>();
  if (sorted.length === 0) return out;
  for (const [topic, partitions] of Object.entries(partitionsByTopic)) {
    for (const p of partitions) {
      const member = sorted[p % sorted.length]!;
      let a = out.get(member);
      if (a === undefined) { a = {}; out.set(member, a); }
      (a[topic] ??= []).push(p);
    }
  }
  return out;
}

/** coPartition, restricted to the topics each member subscribed to. */
export const coPartitionedAssigner: Assigner = {
  name: CO_PARTITIONED_PROTOCOL,
  assign(members, partitionsByTopic) {
    const out = new Map<string, TopicPartitions>();
    const topics = Object.keys(partitionsByTopic);
    for (const topic of topics) {
      const subscribers = members.filter((m) => m.topics.includes(topic)).map((m) => m.memberId);
      for (const [member, a] of coPartition(subscribers, { [topic]: partitionsByTopic[topic] ?? [] })) {
        const mine = out.get(member) ?? {};
        Object.assign(mine, a);
        out.set(member, mine);
      }
    }
    for (const m of members) if (!out.has(m.memberId)) out.set(m.memberId, {});
    return out;
  },
};
