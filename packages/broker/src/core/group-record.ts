import type { GroupState, Member } from './group-types.ts';
import { emptyGroup } from './group-types.ts';

/**
 * What the coordinator stores with OffsetStore.putGroupMetadata (JSON; bytes as base64).
 * Version 1. After a broker restart the group is rebuilt from it: members get a fresh session
 * (restart time + their session timeout) and expire unless they heartbeat, which is close to
 * what Kafka does when a coordinator loads a group after failover.
 */
export interface GroupRecord {
  readonly v: 1;
  readonly generationId: number;
  readonly protocolType: string;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  readonly members: readonly {
    memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string;
    sessionTimeoutMs: number; rebalanceTimeoutMs: number;
    protocols: { name: string; metadata: string }[]; assignment: string;
  }[];
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const unb64 = (s: string): Uint8Array => Buffer.from(s, 'base64');

export function toRecord(g: GroupState): GroupRecord {
  return {
    v: 1, generationId: g.generationId, protocolType: g.protocolType, protocolName: g.protocolName, leaderId: g.leaderId,
    members: g.members.map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs, rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: b64(p.metadata) })), assignment: b64(m.assignment),
    })),
  };
}

/** Rebuild a group from its record, or undefined when the JSON is not a version-1 record. */
export function fromRecord(groupId: string, json: unknown, nowMs: number): GroupState | undefined {
  if (!isRecord(json)) return undefined;
  const members: Member[] = json.members.map((m) => ({
    memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
    sessionTimeoutMs: m.sessionTimeoutMs, rebalanceTimeoutMs: m.rebalanceTimeoutMs, protocolType: json.protocolType,
    protocols: m.protocols.map((p) => ({ name: p.name, metadata: unb64(p.metadata) })), assignment: unb64(m.assignment),
    awaitingJoin: false, awaitingSync: false, sessionDeadlineMs: nowMs + m.sessionTimeoutMs,
  }));
  return {
    ...emptyGroup(groupId),
    phase: members.length > 0 ? 'Stable' : 'Empty',
    generationId: json.generationId, protocolType: json.protocolType,
    protocolName: members.length > 0 ? json.protocolName : null,
    leaderId: members.length > 0 ? json.leaderId : null,
    members,
  };
}

function isRecord(x: unknown): x is GroupRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<GroupRecord>;
  return r.v === 1 && typeof r.generationId === 'number' && typeof r.protocolType === 'string' && Array.isArray(r.members);
}
