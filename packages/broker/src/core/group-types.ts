/**
 * Consumer-group state as plain data (pure core). The decider in group-decider.ts is the only
 * code that produces new states; the shell (groups/coordinator.ts) stores them and turns the
 * returned effects into promise resolutions, one wake-up timer per group and OffsetStore writes.
 */

/** Kafka's state names, spelled as DescribeGroups returns them. */
export type GroupPhase = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface ProtocolOffer {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface Member {
  readonly memberId: string;
  /** Static membership id (KIP-345). Kept for describe, otherwise treated as dynamic. */
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  /** In the member's order of preference. */
  readonly protocols: readonly ProtocolOffer[];
  /** Assignment of the current generation (empty until the leader's SyncGroup). */
  readonly assignment: Uint8Array;
  /** The member has a JoinGroup waiting for the join phase to end. */
  readonly awaitingJoin: boolean;
  /** The member has a SyncGroup waiting for the leader's assignments. */
  readonly awaitingSync: boolean;
  /** Session expiry (last join/heartbeat/sync/commit + sessionTimeoutMs). */
  readonly sessionDeadlineMs: number;
}

/** A member id handed out with MEMBER_ID_REQUIRED, valid until the member rejoins with it. */
export interface PendingMember {
  readonly memberId: string;
  readonly deadlineMs: number;
}

export interface GroupState {
  readonly groupId: string;
  readonly phase: GroupPhase;
  readonly generationId: number;
  /** Set by the first member after Empty; "" when the group only holds offsets. */
  readonly protocolType: string;
  /** Selected protocol of the current generation (null while Empty). */
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  /** In join order (the first member becomes leader when there is none). */
  readonly members: readonly Member[];
  readonly pendingMembers: readonly PendingMember[];
  /** End of the join phase while PreparingRebalance (initial delay or rebalance timeout). */
  readonly joinDeadlineMs: number | null;
  /** Initial delayed join (group.initial.rebalance.delay.ms): budget left to extend it. */
  readonly initialDelay: { readonly remainingMs: number; readonly newMemberAdded: boolean } | null;
  /**
   * Members of this generation that got their JoinGroup answer but have not sent SyncGroup yet.
   * Like Kafka's pending-sync timer, they are removed at syncDeadlineMs (join end + the largest
   * rebalance timeout), so a leader that never syncs cannot leave the group stuck.
   */
  readonly pendingSync: readonly string[];
  readonly syncDeadlineMs: number | null;
}

/** Limits from broker config; validated once at start-up by the shell. */
export interface GroupConfig {
  /** group.initial.rebalance.delay.ms, Kafka default 3000. */
  readonly initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms, Kafka default 6000. */
  readonly minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms, Kafka default 1800000. */
  readonly maxSessionTimeoutMs: number;
}

export const DEFAULT_GROUP_CONFIG: GroupConfig = Object.freeze({
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
});

export function emptyGroup(groupId: string): GroupState {
  return {
    groupId, phase: 'Empty', generationId: 0, protocolType: '', protocolName: null, leaderId: null,
    members: [], pendingMembers: [], joinDeadlineMs: null, initialDelay: null, pendingSync: [], syncDeadlineMs: null,
  };
}

export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  /** Non-empty only for the leader. */
  readonly members: readonly { memberId: string; groupInstanceId: string | null; metadata: Uint8Array }[];
}

export interface SyncResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

export interface LeaveResult {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly errorCode: number;
}

export type GroupEvent =
  | {
      readonly type: 'join';
      /** "" for a new member. */
      readonly memberId: string;
      /** Id the shell generated (clientId + '-' + uuid), used when memberId is "". */
      readonly newMemberId: string;
      /** JoinGroup v4+: a new member must rejoin with the id it gets via MEMBER_ID_REQUIRED. */
      readonly requireKnownMemberId: boolean;
      readonly groupInstanceId: string | null;
      readonly clientId: string;
      readonly clientHost: string;
      readonly sessionTimeoutMs: number;
      readonly rebalanceTimeoutMs: number;
      readonly protocolType: string;
      readonly protocols: readonly ProtocolOffer[];
    }
  | {
      readonly type: 'sync';
      readonly memberId: string;
      readonly generationId: number;
      /** SyncGroup v5+ only; null when the client did not send it. */
      readonly protocolType: string | null;
      readonly protocolName: string | null;
      readonly assignments: readonly { memberId: string; assignment: Uint8Array }[];
    }
  | { readonly type: 'heartbeat'; readonly memberId: string; readonly generationId: number }
  | { readonly type: 'leave'; readonly members: readonly { memberId: string; groupInstanceId: string | null }[] }
  /** Is an OffsetCommit from (memberId, generationId) acceptable? Answered with a `reply`. */
  | { readonly type: 'commit-check'; readonly memberId: string; readonly generationId: number }
  /** The connection of a pending JoinGroup closed: stop waiting for it (member stays). */
  | { readonly type: 'join-abandoned'; readonly memberId: string }
  | { readonly type: 'sync-abandoned'; readonly memberId: string }
  /** The shell's wake-up timer fired (at nowMs). */
  | { readonly type: 'timer-fired' }
  /** DeleteGroups: only Empty groups; answered with a `reply`. */
  | { readonly type: 'delete' }
  /** Coordinator shutdown: answer everything pending with COORDINATOR_NOT_AVAILABLE. */
  | { readonly type: 'shutdown' };

export type GroupEffect =
  /** Answer the JoinGroup waiting under key `to` (the member id, or newMemberId for a new one). */
  | { readonly type: 'join-response'; readonly to: string; readonly result: JoinResult }
  | { readonly type: 'sync-response'; readonly to: string; readonly result: SyncResult }
  /** Immediate answer to the event itself (heartbeat, commit-check, delete). */
  | { readonly type: 'reply'; readonly errorCode: number }
  | { readonly type: 'leave-response'; readonly members: readonly LeaveResult[] }
  /** Store the group's metadata (persisted form: see group-record.ts). */
  | { readonly type: 'persist'; readonly group: GroupState }
  /** The group needs a timer-fired event at atMs (null: no timer). Replaces the previous one. */
  | { readonly type: 'wake-at'; readonly atMs: number | null };

export interface StepResult {
  readonly group: GroupState;
  readonly effects: readonly GroupEffect[];
}
