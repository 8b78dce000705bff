/**
 * LeaveGroup (key 13), versions 0-3 (v4+ flexible: not advertised).
 * v0-2: one memberId (librdkafka uses v1). v3: a members[] batch (kafkajs) with an error per
 * member; the top-level error is the first member error, as Kafka's LeaveGroupResponse does.
 * Leaving triggers a rebalance of the others, or makes the group Empty when it was the last.
 */
import type { LeaveGroupRequest, LeaveGroupResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const leaveGroupHandler: ApiHandler<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  minVersion: 0,
  maxVersion: 3,
  handle(broker, request, ctx) {
    const batch = ctx.apiVersion >= 3;
    const r = broker.groups.leaveGroup(batch ? request : { groupId: request.groupId, memberId: request.memberId });
    return { throttleTimeMs: 0, errorCode: r.errorCode, members: batch ? r.members : [] };
  },
};
