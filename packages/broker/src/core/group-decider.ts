import type { Draft } from './group-draft.ts';
import { EMPTY_BYTES, findMember, newDraft, refreshSession, updateMember } from './group-draft.ts';
import { GroupError } from './group-errors.ts';
import { handleJoin, maybeCompleteJoin, onJoinDeadline, removeMember, syncError } from './group-rebalance.ts';
import type { GroupConfig, GroupEvent, GroupState, LeaveResult, StepResult } from './group-types.ts';
import { DEFAULT_GROUP_CONFIG } from './group-types.ts';

/**
 * The group decider: (state, event, now) -> (new state, effects). Pure: no I/O, no timers,
 * time is nowMs. Every result ends with one `wake-at` effect, the earliest deadline the group
 * has (join phase end, a session expiry, a pending member id expiry), so the shell keeps one
 * timer per group and sends `timer-fired` when it goes off.
 */
export function step(group: GroupState, event: GroupEvent, nowMs: number, config: GroupConfig = DEFAULT_GROUP_CONFIG): StepResult {
  const d = newDraft(group, nowMs, config);
  switch (event.type) {
    case 'join': handleJoin(d, event); break;
    case 'sync': handleSync(d, event); break;
    case 'heartbeat': reply(d, heartbeatError(d, event.memberId, event.generationId)); break;
    case 'leave': handleLeave(d, event.members); break;
    case 'commit-check': reply(d, commitError(d, event.memberId, event.generationId)); break;
    case 'join-abandoned':
      if (findMember(d, event.memberId)?.awaitingJoin === true) updateMember(d, event.memberId, { awaitingJoin: false });
      maybeCompleteJoin(d);
      break;
    case 'sync-abandoned':
      if (findMember(d, event.memberId)?.awaitingSync === true) updateMember(d, event.memberId, { awaitingSync: false });
      break;
    case 'timer-fired': onTimer(d); break;
    case 'delete': handleDelete(d); break;
    case 'shutdown': handleShutdown(d); break;
  }
  d.effects.push({ type: 'wake-at', atMs: nextWake(d.group) });
  return { group: d.group, effects: d.effects };
}

function reply(d: Draft, errorCode: number): void {
  d.effects.push({ type: 'reply', errorCode });
}

type SyncEvent = Extract<GroupEvent, { type: 'sync' }>;

/**
 * SyncGroup: followers wait (awaitingSync) until the leader's SyncGroup brings the assignments;
 * then the group is Stable, its metadata is persisted and every waiting member gets its share.
 */
function handleSync(d: Draft, ev: SyncEvent): void {
  const g = d.group;
  const fail = (code: number): void => { d.effects.push({ type: 'sync-response', to: ev.memberId, result: syncError(code) }); };
  if (g.phase === 'Dead') return fail(GroupError.COORDINATOR_NOT_AVAILABLE);
  const member = findMember(d, ev.memberId);
  if (member === undefined) return fail(GroupError.UNKNOWN_MEMBER_ID);
  if (ev.generationId !== g.generationId) return fail(GroupError.ILLEGAL_GENERATION);
  if ((ev.protocolType !== null && ev.protocolType !== g.protocolType) || (ev.protocolName !== null && ev.protocolName !== g.protocolName)) {
    return fail(GroupError.INCONSISTENT_GROUP_PROTOCOL);
  }
  if (g.phase === 'Empty') return fail(GroupError.UNKNOWN_MEMBER_ID);
  if (g.phase === 'PreparingRebalance') return fail(GroupError.REBALANCE_IN_PROGRESS);
  markSynced(d, ev.memberId);
  if (g.phase === 'Stable') {
    refreshSession(d, ev.memberId);
    d.effects.push({ type: 'sync-response', to: ev.memberId, result: syncOk(d, member.assignment) });
    return;
  }
  // CompletingRebalance
  updateMember(d, ev.memberId, { awaitingSync: true, sessionDeadlineMs: d.nowMs + member.sessionTimeoutMs });
  if (g.leaderId !== ev.memberId) return;
  const given = new Map(ev.assignments.map((a) => [a.memberId, a.assignment]));
  g.members = g.members.map((m) => ({ ...m, assignment: given.get(m.memberId) ?? EMPTY_BYTES }));
  g.phase = 'Stable';
  d.effects.push({ type: 'persist', group: { ...g } });
  for (const m of g.members) {
    if (!m.awaitingSync) continue;
    d.effects.push({ type: 'sync-response', to: m.memberId, result: syncOk(d, m.assignment) });
  }
  g.members = g.members.map((m) => (m.awaitingSync ? { ...m, awaitingSync: false, sessionDeadlineMs: d.nowMs + m.sessionTimeoutMs } : m));
}

function markSynced(d: Draft, memberId: string): void {
  const g = d.group;
  g.pendingSync = g.pendingSync.filter((id) => id !== memberId);
  if (g.pendingSync.length === 0) g.syncDeadlineMs = null;
}

function syncOk(d: Draft, assignment: Uint8Array): { errorCode: number; protocolType: string; protocolName: string | null; assignment: Uint8Array } {
  return { errorCode: GroupError.NONE, protocolType: d.group.protocolType, protocolName: d.group.protocolName, assignment };
}

/**
 * Heartbeat: refreshes the session; REBALANCE_IN_PROGRESS while PreparingRebalance is how
 * members learn to rejoin. A member id handed out with MEMBER_ID_REQUIRED may heartbeat.
 */
function heartbeatError(d: Draft, memberId: string, generationId: number): number {
  const g = d.group;
  if (g.phase === 'Dead') return GroupError.COORDINATOR_NOT_AVAILABLE;
  if (g.pendingMembers.some((p) => p.memberId === memberId)) return GroupError.NONE;
  if (findMember(d, memberId) === undefined) return GroupError.UNKNOWN_MEMBER_ID;
  if (generationId !== g.generationId) return GroupError.ILLEGAL_GENERATION;
  if (g.phase === 'Empty') return GroupError.UNKNOWN_MEMBER_ID;
  refreshSession(d, memberId);
  return g.phase === 'PreparingRebalance' ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
}

/**
 * OffsetCommit admission (Kafka doCommitOffsets): generation < 0 is a simple consumer or an
 * admin tool and is accepted only while the group has no members (Empty); otherwise the member
 * must belong to the current generation. PreparingRebalance still accepts (kafkajs commits
 * before rejoining); CompletingRebalance answers REBALANCE_IN_PROGRESS like Kafka.
 */
function commitError(d: Draft, memberId: string, generationId: number): number {
  const g = d.group;
  if (g.phase === 'Dead') return GroupError.COORDINATOR_NOT_AVAILABLE;
  if (generationId < 0 && g.phase === 'Empty') return GroupError.NONE;
  if (findMember(d, memberId) === undefined) return GroupError.UNKNOWN_MEMBER_ID;
  if (generationId !== g.generationId) return GroupError.ILLEGAL_GENERATION;
  if (g.phase === 'CompletingRebalance') return GroupError.REBALANCE_IN_PROGRESS;
  refreshSession(d, memberId);
  return GroupError.NONE;
}

function handleLeave(d: Draft, members: readonly { memberId: string; groupInstanceId: string | null }[]): void {
  const results: LeaveResult[] = [];
  for (const { memberId, groupInstanceId } of members) {
    const g = d.group;
    let errorCode: number = GroupError.NONE;
    if (g.phase === 'Dead') errorCode = GroupError.COORDINATOR_NOT_AVAILABLE;
    else if (g.pendingMembers.some((p) => p.memberId === memberId)) {
      g.pendingMembers = g.pendingMembers.filter((p) => p.memberId !== memberId);
      maybeCompleteJoin(d);
    } else if (findMember(d, memberId) === undefined) errorCode = GroupError.UNKNOWN_MEMBER_ID;
    else removeMember(d, memberId);
    results.push({ memberId, groupInstanceId, errorCode });
  }
  d.effects.push({ type: 'leave-response', members: results });
}

/** Expire pending member ids and silent members, then end the join phase if its time is up. */
function onTimer(d: Draft): void {
  const g = d.group;
  const before = g.pendingMembers.length;
  g.pendingMembers = g.pendingMembers.filter((p) => p.deadlineMs > d.nowMs);
  if (g.pendingMembers.length !== before) maybeCompleteJoin(d);
  for (const m of g.members) {
    if (!keptAlive(m) && m.sessionDeadlineMs <= d.nowMs) removeMember(d, m.memberId);
  }
  if (d.group.phase === 'PreparingRebalance' && d.group.joinDeadlineMs !== null && d.group.joinDeadlineMs <= d.nowMs) {
    onJoinDeadline(d);
  }
  const late = d.group;
  if ((late.phase === 'CompletingRebalance' || late.phase === 'Stable') && late.syncDeadlineMs !== null && late.syncDeadlineMs <= d.nowMs) {
    // Joined this generation but never sent SyncGroup within the rebalance timeout.
    const missing = [...late.pendingSync];
    late.pendingSync = [];
    late.syncDeadlineMs = null;
    for (const id of missing) removeMember(d, id);
  }
}

/** A member with a JoinGroup or SyncGroup in flight does not expire (Kafka shouldKeepAlive). */
function keptAlive(m: { awaitingJoin: boolean; awaitingSync: boolean }): boolean {
  return m.awaitingJoin || m.awaitingSync;
}

function handleDelete(d: Draft): void {
  const g = d.group;
  if (g.phase === 'Dead') return reply(d, GroupError.GROUP_ID_NOT_FOUND);
  if (g.phase !== 'Empty' || g.members.length > 0) return reply(d, GroupError.NON_EMPTY_GROUP);
  g.phase = 'Dead';
  g.pendingMembers = [];
  reply(d, GroupError.NONE);
}

function handleShutdown(d: Draft): void {
  const g = d.group;
  for (const m of g.members) {
    if (m.awaitingJoin) {
      d.effects.push({ type: 'join-response', to: m.memberId, result: { errorCode: GroupError.COORDINATOR_NOT_AVAILABLE, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: m.memberId, members: [] } });
    }
    if (m.awaitingSync) d.effects.push({ type: 'sync-response', to: m.memberId, result: syncError(GroupError.COORDINATOR_NOT_AVAILABLE) });
  }
  g.members = g.members.map((m) => ({ ...m, awaitingJoin: false, awaitingSync: false }));
}

/** Earliest time the group needs a timer-fired event, or null. */
export function nextWake(g: GroupState): number | null {
  const times: number[] = [];
  if (g.phase === 'PreparingRebalance' && g.joinDeadlineMs !== null) times.push(g.joinDeadlineMs);
  if (g.syncDeadlineMs !== null && (g.phase === 'CompletingRebalance' || g.phase === 'Stable')) times.push(g.syncDeadlineMs);
  for (const p of g.pendingMembers) times.push(p.deadlineMs);
  for (const m of g.members) if (!keptAlive(m)) times.push(m.sessionDeadlineMs);
  return times.length === 0 ? null : Math.min(...times);
}
