/**
 * JoinGroup (key 11), versions 0-5 (v6+ flexible: not advertised; kafkajs and librdkafka use v5).
 * - v0 has no rebalance timeout: the session timeout is used, as in Kafka.
 * - v4+: an empty memberId gets MEMBER_ID_REQUIRED (79) with a generated id
 *   (clientId + '-' + uuid) and must rejoin with it; v0-3 get the id directly.
 * - The answer waits for the end of the join phase (initial delay 3000 ms on a new group, or
 *   until every member rejoined / the rebalance timeout); the leader gets all members.
 * - Static membership (groupInstanceId, v5) is accepted and shown by DescribeGroups but the
 *   member is treated as dynamic: no fencing, no rejoin without rebalance.
 * Semantics live in core/group-rebalance.ts; this file only maps the wire shape.
 */
import { clientHostOf, toBuffer } from '../groups/handler-support.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const joinGroupHandler: ApiHandler<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  minVersion: 0,
  maxVersion: 5,
  async handle(broker, request, ctx) {
    const r = await broker.groups.joinGroup(request, ctx.apiVersion, ctx.clientId, clientHostOf(ctx), ctx.signal);
    return {
      throttleTimeMs: 0, errorCode: r.errorCode, generationId: r.generationId,
      protocolType: r.protocolType,
      protocolName: r.protocolName ?? '', // nullable only from v7
      leader: r.leader, skipAssignment: false, memberId: r.memberId,
      members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: toBuffer(m.metadata) })),
    };
  },
};
