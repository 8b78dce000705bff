import type { Draft } from './group-draft.ts';
import { EMPTY_BYTES, findMember, joinError, updateMember } from './group-draft.ts';
import { GroupError } from './group-errors.ts';
import { metadataFor, sameProtocols, selectProtocol, supportsProtocols } from './group-protocol.ts';
import type { GroupEvent, JoinResult, Member } from './group-types.ts';

type JoinEvent = Extract<GroupEvent, { type: 'join' }>;

/**
 * JoinGroup, following Kafka's GroupCoordinator.handleJoinGroup:
 * - empty memberId: v4+ gets MEMBER_ID_REQUIRED (79) with a new id that must rejoin
 *   (kept as a pending member for one session timeout); v0-3 is added directly;
 * - a new member or changed protocols move Empty/Stable/CompletingRebalance to
 *   PreparingRebalance; the join phase ends when every member has rejoined, or at the deadline.
 * The answer comes later as a `join-response` effect keyed by the member id.
 */
export function handleJoin(d: Draft, ev: JoinEvent): void {
  const g = d.group;
  const key = ev.memberId === '' ? ev.newMemberId : ev.memberId;
  const fail = (code: number, memberId = ev.memberId): void => {
    d.effects.push({ type: 'join-response', to: key, result: joinError(memberId, code) });
  };
  if (g.phase === 'Dead') return fail(GroupError.COORDINATOR_NOT_AVAILABLE);
  if (ev.sessionTimeoutMs < d.config.minSessionTimeoutMs || ev.sessionTimeoutMs > d.config.maxSessionTimeoutMs) {
    return fail(GroupError.INVALID_SESSION_TIMEOUT);
  }
  if (!supportsProtocols(g.members, g.protocolType, ev.protocolType, ev.protocols)) {
    return fail(GroupError.INCONSISTENT_GROUP_PROTOCOL);
  }
  if (ev.memberId === '') {
    if (ev.requireKnownMemberId) {
      g.pendingMembers = [...g.pendingMembers, { memberId: ev.newMemberId, deadlineMs: d.nowMs + ev.sessionTimeoutMs }];
      return fail(GroupError.MEMBER_ID_REQUIRED, ev.newMemberId);
    }
    return addMemberAndRebalance(d, ev, ev.newMemberId);
  }
  if (g.pendingMembers.some((p) => p.memberId === ev.memberId)) {
    g.pendingMembers = g.pendingMembers.filter((p) => p.memberId !== ev.memberId);
    return addMemberAndRebalance(d, ev, ev.memberId);
  }
  const member = findMember(d, ev.memberId);
  if (member === undefined || g.phase === 'Empty') return fail(GroupError.UNKNOWN_MEMBER_ID);
  const unchanged = sameProtocols(member.protocols, ev.protocols);
  if (g.phase === 'CompletingRebalance' && unchanged) {
    // A retried JoinGroup of this generation: answer with what the member already got.
    d.effects.push({ type: 'join-response', to: key, result: joinResult(d, member) });
    return;
  }
  if (g.phase === 'Stable' && unchanged && g.leaderId !== member.memberId) {
    d.effects.push({ type: 'join-response', to: key, result: joinResult(d, member) });
    return;
  }
  // PreparingRebalance, a leader rejoining (it may want to reassign), or changed metadata.
  updateMember(d, member.memberId, memberFields(d, ev, member.memberId, member.assignment));
  maybePrepareRebalance(d);
  maybeCompleteJoin(d);
}

function memberFields(d: Draft, ev: JoinEvent, memberId: string, assignment: Uint8Array): Member {
  return {
    memberId, groupInstanceId: ev.groupInstanceId, clientId: ev.clientId, clientHost: ev.clientHost,
    sessionTimeoutMs: ev.sessionTimeoutMs, rebalanceTimeoutMs: ev.rebalanceTimeoutMs,
    protocolType: ev.protocolType, protocols: ev.protocols, assignment,
    awaitingJoin: true, awaitingSync: false, sessionDeadlineMs: d.nowMs + ev.sessionTimeoutMs,
  };
}

function addMemberAndRebalance(d: Draft, ev: JoinEvent, memberId: string): void {
  const g = d.group;
  if (g.members.length === 0) g.protocolType = ev.protocolType;
  g.members = [...g.members, memberFields(d, ev, memberId, EMPTY_BYTES)];
  if (g.leaderId === null) g.leaderId = memberId;
  if (g.initialDelay !== null) g.initialDelay = { ...g.initialDelay, newMemberAdded: true };
  maybePrepareRebalance(d);
  maybeCompleteJoin(d);
}

export function maybePrepareRebalance(d: Draft): void {
  const phase = d.group.phase;
  if (phase === 'Stable' || phase === 'CompletingRebalance' || phase === 'Empty') prepareRebalance(d);
}

/**
 * Enter PreparingRebalance. From Empty the join phase lasts the initial delay (default 3000 ms),
 * extended by another delay each time a new member arrives, up to the rebalance timeout, so that
 * consumers starting together land in one generation. Otherwise it lasts at most the largest
 * rebalanceTimeoutMs of the members (kafkajs default 60000, librdkafka 300000).
 */
function prepareRebalance(d: Draft): void {
  const g = d.group;
  if (g.phase === 'CompletingRebalance') {
    // Followers waiting for the leader's assignment learn about the new rebalance now.
    for (const m of g.members) {
      if (m.awaitingSync) {
        d.effects.push({ type: 'sync-response', to: m.memberId, result: syncError(GroupError.REBALANCE_IN_PROGRESS) });
      }
    }
    g.members = g.members.map((m) => ({ ...m, awaitingSync: false, assignment: EMPTY_BYTES }));
  }
  const rebalanceTimeoutMs = Math.max(0, ...g.members.map((m) => m.rebalanceTimeoutMs));
  g.pendingSync = [];
  g.syncDeadlineMs = null;
  if (g.phase === 'Empty') {
    const delay = d.config.initialRebalanceDelayMs;
    g.initialDelay = { remainingMs: Math.max(rebalanceTimeoutMs - delay, 0), newMemberAdded: false };
    g.joinDeadlineMs = d.nowMs + delay;
  } else {
    g.initialDelay = null;
    g.joinDeadlineMs = d.nowMs + rebalanceTimeoutMs;
  }
  g.phase = 'PreparingRebalance';
}

/** Outside the initial delay, the join phase ends early once every member has rejoined. */
export function maybeCompleteJoin(d: Draft): void {
  const g = d.group;
  if (g.phase !== 'PreparingRebalance' || g.initialDelay !== null) return;
  if (g.members.every((m) => m.awaitingJoin) && g.pendingMembers.length === 0) completeJoin(d);
}

/** The join deadline passed: extend the initial delay once more, or end the join phase. */
export function onJoinDeadline(d: Draft): void {
  const g = d.group;
  const delay = g.initialDelay;
  if (delay !== null && delay.newMemberAdded && delay.remainingMs > 0) {
    const step = Math.min(d.config.initialRebalanceDelayMs, delay.remainingMs);
    g.joinDeadlineMs = d.nowMs + step;
    g.initialDelay = { remainingMs: Math.max(delay.remainingMs - step, 0), newMemberAdded: false };
    return;
  }
  g.initialDelay = null;
  completeJoin(d);
}

/**
 * End of the join phase: members that did not rejoin are dropped, the generation increments,
 * a protocol is selected and every waiting member gets its JoinGroup answer (the leader with
 * the full member list and metadata, followers with an empty list). No members left: Empty.
 */
function completeJoin(d: Draft): void {
  const g = d.group;
  g.members = g.members.filter((m) => m.awaitingJoin);
  if (g.leaderId === null || !g.members.some((m) => m.memberId === g.leaderId)) {
    g.leaderId = g.members[0]?.memberId ?? null;
  }
  g.generationId += 1;
  g.joinDeadlineMs = null;
  g.initialDelay = null;
  if (g.members.length === 0) {
    g.phase = 'Empty';
    g.protocolName = null;
    d.effects.push({ type: 'persist', group: { ...g } });
    return;
  }
  g.protocolName = selectProtocol(g.members);
  g.phase = 'CompletingRebalance';
  g.pendingSync = g.members.map((m) => m.memberId);
  g.syncDeadlineMs = d.nowMs + Math.max(0, ...g.members.map((m) => m.rebalanceTimeoutMs));
  g.members = g.members.map((m) => ({ ...m, awaitingJoin: false, sessionDeadlineMs: d.nowMs + m.sessionTimeoutMs }));
  for (const m of g.members) d.effects.push({ type: 'join-response', to: m.memberId, result: joinResult(d, m) });
}

function joinResult(d: Draft, member: Member): JoinResult {
  const g = d.group;
  const isLeader = g.leaderId === member.memberId;
  return {
    errorCode: GroupError.NONE, generationId: g.generationId, protocolType: g.protocolType,
    protocolName: g.protocolName, leader: g.leaderId ?? '', memberId: member.memberId,
    members: isLeader
      ? g.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: metadataFor(m, g.protocolName) }))
      : [],
  };
}

export function syncError(errorCode: number): { errorCode: number; protocolType: null; protocolName: null; assignment: Uint8Array } {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

/**
 * Remove a member (LeaveGroup or session expiry): its pending join/sync get UNKNOWN_MEMBER_ID,
 * a new leader is picked if needed, and the group rebalances (or becomes Empty when last).
 */
export function removeMember(d: Draft, memberId: string): void {
  const g = d.group;
  const m = findMember(d, memberId);
  if (m === undefined) return;
  if (m.awaitingJoin) d.effects.push({ type: 'join-response', to: memberId, result: joinError(memberId, GroupError.UNKNOWN_MEMBER_ID) });
  if (m.awaitingSync) d.effects.push({ type: 'sync-response', to: memberId, result: syncError(GroupError.UNKNOWN_MEMBER_ID) });
  g.members = g.members.filter((x) => x.memberId !== memberId);
  g.pendingSync = g.pendingSync.filter((id) => id !== memberId);
  if (g.leaderId === memberId) g.leaderId = g.members[0]?.memberId ?? null;
  if (g.phase === 'Stable' || g.phase === 'CompletingRebalance') prepareRebalance(d);
  maybeCompleteJoin(d);
}
