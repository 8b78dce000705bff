/**
 * Request/response shapes of the group APIs, spelled as the generated codec spells them
 * (JSON field names with a lower-case first letter, int64 as bigint, bytes as Buffer).
 * Written locally because @warmcast/kafka-protocol was not generated yet when the group
 * handlers were written; they are structural, so the codec's types are assignable to them.
 * Only the fields the handlers read or write are listed.
 */

export interface FindCoordinatorRequest { key?: string; keyType?: number; coordinatorKeys?: string[] }
export interface FindCoordinatorResponse {
  throttleTimeMs: number; errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number;
  coordinators?: { key: string; nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null }[];
}

export interface JoinGroupRequest {
  groupId: string; sessionTimeoutMs: number; rebalanceTimeoutMs?: number; memberId: string;
  groupInstanceId?: string | null; protocolType: string; protocols: { name: string; metadata: Uint8Array }[];
}
export interface JoinGroupResponse {
  throttleTimeMs: number; errorCode: number; generationId: number; protocolType: string | null;
  protocolName: string | null; leader: string; memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncGroupRequest {
  groupId: string; generationId: number; memberId: string; groupInstanceId?: string | null;
  protocolType?: string | null; protocolName?: string | null; assignments: { memberId: string; assignment: Uint8Array }[];
}
export interface SyncGroupResponse {
  throttleTimeMs: number; errorCode: number; protocolType: string | null; protocolName: string | null; assignment: Buffer;
}

export interface HeartbeatRequest { groupId: string; generationId: number; memberId: string; groupInstanceId?: string | null }
export interface HeartbeatResponse { throttleTimeMs: number; errorCode: number }

export interface LeaveGroupRequest {
  groupId: string; memberId?: string; members?: { memberId: string; groupInstanceId?: string | null }[];
}
export interface LeaveGroupResponse {
  throttleTimeMs: number; errorCode: number; members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetCommitRequest {
  groupId: string; generationIdOrMemberEpoch?: number; memberId?: string; groupInstanceId?: string | null;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch?: number; committedMetadata: string | null }[] }[];
}
export interface OffsetCommitResponse {
  throttleTimeMs: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface OffsetFetchRequest {
  groupId: string; topics: { name: string; partitionIndexes: number[] }[] | null; requireStable?: boolean;
}
export interface OffsetFetchResponse {
  throttleTimeMs: number; errorCode: number;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string | null; errorCode: number }[] }[];
}

export interface DescribeGroupsRequest { groups: string[]; includeAuthorizedOperations?: boolean }
export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: {
    errorCode: number; groupId: string; groupState: string; protocolType: string; protocolData: string;
    members: { memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }[];
    authorizedOperations: number;
  }[];
}

export interface ListGroupsRequest { statesFilter?: string[]; typesFilter?: string[] }
export interface ListGroupsResponse {
  throttleTimeMs: number; errorCode: number; groups: { groupId: string; protocolType: string; groupState: string; groupType?: string }[];
}

export interface DeleteGroupsRequest { groupsNames: string[] }
export interface DeleteGroupsResponse { throttleTimeMs: number; results: { groupId: string; errorCode: number }[] }
