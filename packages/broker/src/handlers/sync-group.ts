/**
 * SyncGroup (key 14), versions 0-3 (v4+ flexible: not advertised).
 * Followers wait until the leader's SyncGroup brings the assignments; then all get theirs.
 * ILLEGAL_GENERATION (22) for a wrong generation, UNKNOWN_MEMBER_ID (25) for an unknown
 * member, REBALANCE_IN_PROGRESS (27) while the join phase runs. groupInstanceId (v3) is
 * accepted and ignored (static members are treated as dynamic).
 */
import { toBuffer } from '../groups/handler-support.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const syncGroupHandler: ApiHandler<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  minVersion: 0,
  maxVersion: 3,
  async handle(broker, request, ctx) {
    const r = await broker.groups.syncGroup(request, ctx.signal);
    return { throttleTimeMs: 0, errorCode: r.errorCode, protocolType: r.protocolType, protocolName: r.protocolName, assignment: toBuffer(r.assignment) };
  },
};
