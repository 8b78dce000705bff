// Consumer-group assignment that keeps partition p of every subscribed topic on one member.
// Requests and metrics of a user share a key and so a partition number on both input topics;
// with kafkajs's default round-robin assignment two ingest instances could own request
// partition 3 and metrics partition 3 separately and their pairs would never meet. Here
// partition p of every topic goes to member (p mod members) in member-id order.
import kafkajs from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';
import { CO_PARTITIONED_PROTOCOL, coPartition } from '@warmcast/lean-client';

const { AssignerProtocol } = kafkajs;
// The pure split and the protocol name live in @warmcast/lean-client, so a lean member and a
// kafkajs member of one group compute the same assignment under the same name.
export { CO_PARTITIONED_PROTOCOL, coPartition };

export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITIONED_PROTOCOL,
  version: 0,
  async assign({ members, topics }) {
    const partitions = Object.fromEntries(topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((m) => m.partitionId)]));
    return [...coPartition(members.map((m) => m.memberId), partitions)].map(([memberId, assignment]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: CO_PARTITIONED_PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
