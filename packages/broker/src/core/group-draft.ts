import type { GroupConfig, GroupEffect, GroupState, JoinResult, Member } from './group-types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Working copy used inside one step(): the input GroupState is never mutated; the draft's
 * `group` is a fresh object whose fields are replaced (members array copied on every change).
 */
export interface Draft {
  group: Mutable<GroupState>;
  readonly effects: GroupEffect[];
  readonly nowMs: number;
  readonly config: GroupConfig;
}

export function newDraft(group: GroupState, nowMs: number, config: GroupConfig): Draft {
  return { group: { ...group }, effects: [], nowMs, config };
}

export function findMember(d: Draft, memberId: string): Member | undefined {
  return d.group.members.find((m) => m.memberId === memberId);
}

export function updateMember(d: Draft, memberId: string, patch: Partial<Member>): void {
  d.group.members = d.group.members.map((m) => (m.memberId === memberId ? { ...m, ...patch } : m));
}

export function refreshSession(d: Draft, memberId: string): void {
  const m = findMember(d, memberId);
  if (m !== undefined) updateMember(d, memberId, { sessionDeadlineMs: d.nowMs + m.sessionTimeoutMs });
}

export const EMPTY_BYTES = new Uint8Array(0);

/** JoinGroup answer for an error: no generation, no leader, no members. */
export function joinError(memberId: string, errorCode: number): JoinResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}
