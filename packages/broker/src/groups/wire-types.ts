/**
 * The request fields the GroupCoordinator reads, as structural subsets of the generated codec
 * types (@warmcast/kafka-protocol JoinGroupRequest etc.), so the coordinator and its tests do
 * not need full wire objects. Bytes are Uint8Array (the codec's Buffers fit).
 */

export interface JoinGroupRequest {
  groupId: string; sessionTimeoutMs: number; rebalanceTimeoutMs?: number; memberId: string;
  groupInstanceId?: string | null; protocolType: string; protocols: { name: string; metadata: Uint8Array }[];
}

export interface SyncGroupRequest {
  groupId: string; generationId: number; memberId: string; groupInstanceId?: string | null;
  protocolType?: string | null; protocolName?: string | null; assignments: { memberId: string; assignment: Uint8Array }[];
}

export interface HeartbeatRequest { groupId: string; generationId: number; memberId: string; groupInstanceId?: string | null }

export interface LeaveGroupRequest {
  groupId: string; memberId?: string; members?: { memberId: string; groupInstanceId?: string | null }[];
}
