import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { step } from '../core/group-decider.ts';
import { joinError } from '../core/group-draft.ts';
import { GroupError } from '../core/group-errors.ts';
import { fromRecord, toRecord } from '../core/group-record.ts';
import { syncError } from '../core/group-rebalance.ts';
import type { GroupConfig, GroupEffect, GroupEvent, GroupState, JoinResult, LeaveResult, SyncResult } from '../core/group-types.ts';
import { DEFAULT_GROUP_CONFIG, emptyGroup } from '../core/group-types.ts';
import type { GroupDescription } from '../core/group-view.ts';
import { describeGroup, worthKeeping } from '../core/group-view.ts';
import type { GroupOffsetStore, Scheduler } from './ports.ts';
import { realScheduler } from './ports.ts';
import type { HeartbeatRequest, JoinGroupRequest, LeaveGroupRequest, SyncGroupRequest } from './wire-types.ts';

export type { GroupOffsetStore, Scheduler } from './ports.ts';

export interface GroupCoordinatorOptions {
  offsets: GroupOffsetStore;
  clock: { now(): number };
  log: Logger;
  scheduler?: Scheduler;
  /** group.initial.rebalance.delay.ms (Kafka default 3000). */
  initialRebalanceDelayMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
}

export interface CommitEntry { topic: string; partition: number; offset: bigint; leaderEpoch: number; metadata: string | null }

/**
 * Shell around the pure group decider (core/group-decider.ts): holds one GroupState per group,
 * feeds it events, and turns the effects into answers to waiting JoinGroup/SyncGroup calls,
 * one timer per group, and group-metadata writes to the OffsetStore.
 * Everything runs on the event loop, so one step() at a time per group needs no lock.
 */
export class GroupCoordinator {
  private readonly offsets: GroupOffsetStore;
  private readonly clock: { now(): number };
  private readonly log: Logger;
  private readonly scheduler: Scheduler;
  private readonly config: GroupConfig;
  private readonly groups = new Map<string, GroupState>();
  /** Waiting JoinGroup / SyncGroup calls, keyed by groupId + '\0' + memberId. */
  private readonly joinWaiters = new Map<string, (r: JoinResult) => void>();
  private readonly syncWaiters = new Map<string, (r: SyncResult) => void>();
  private readonly timers = new Map<string, { handle: unknown; atMs: number }>();
  private readonly writes = new Map<string, Promise<void>>();
  private closed = false;

  constructor(opts: GroupCoordinatorOptions) {
    this.offsets = opts.offsets;
    this.clock = opts.clock;
    this.log = opts.log.child({ unit: 'group-coordinator' });
    this.scheduler = opts.scheduler ?? realScheduler;
    this.config = Object.freeze({
      initialRebalanceDelayMs: opts.initialRebalanceDelayMs ?? DEFAULT_GROUP_CONFIG.initialRebalanceDelayMs,
      minSessionTimeoutMs: opts.minSessionTimeoutMs ?? DEFAULT_GROUP_CONFIG.minSessionTimeoutMs,
      maxSessionTimeoutMs: opts.maxSessionTimeoutMs ?? DEFAULT_GROUP_CONFIG.maxSessionTimeoutMs,
    });
    if (!(this.config.initialRebalanceDelayMs >= 0)) throw new RangeError(`initialRebalanceDelayMs must be >= 0, got ${this.config.initialRebalanceDelayMs}`);
    if (!(this.config.minSessionTimeoutMs >= 0 && this.config.minSessionTimeoutMs <= this.config.maxSessionTimeoutMs)) {
      throw new RangeError(`need 0 <= minSessionTimeoutMs <= maxSessionTimeoutMs, got ${this.config.minSessionTimeoutMs} and ${this.config.maxSessionTimeoutMs}`);
    }
  }

  /** Rebuild groups from stored metadata (members get one session timeout to heartbeat). */
  start(): void {
    const now = this.clock.now();
    for (const groupId of this.offsets.groups()) {
      const json = this.offsets.groupMetadata(groupId);
      if (json === undefined) continue;
      const g = fromRecord(groupId, json, now);
      if (g === undefined) { this.log.warn({ groupId }, 'ignoring unreadable group metadata'); continue; }
      if (worthKeeping(g)) this.apply(groupId, { type: 'timer-fired' }, g);
    }
    // debug: `warmcast broker` logs exactly one line when it listens (the server's); this is detail.
    this.log.debug({ groups: this.groups.size }, 'group coordinator started');
  }

  /** Answer pending joins/syncs with COORDINATOR_NOT_AVAILABLE, clear timers, finish writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const groupId of [...this.groups.keys()]) this.apply(groupId, { type: 'shutdown' });
    for (const t of this.timers.values()) this.scheduler.clearTimeout(t.handle);
    this.timers.clear();
    for (const w of this.joinWaiters.values()) w(joinError('', GroupError.COORDINATOR_NOT_AVAILABLE));
    for (const w of this.syncWaiters.values()) w(syncError(GroupError.COORDINATOR_NOT_AVAILABLE));
    this.joinWaiters.clear();
    this.syncWaiters.clear();
    await Promise.all(this.writes.values());
  }

  /**
   * JoinGroup. Resolves when the join phase ends (possibly seconds later). version >= 4 makes
   * a new member rejoin with the id it is given (MEMBER_ID_REQUIRED). If `signal` aborts (the
   * connection closed) the call stops waiting; the member stays until its session expires.
   */
  joinGroup(req: JoinGroupRequest, version: number, clientId: string | null, clientHost: string, signal?: AbortSignal): Promise<JoinResult> {
    const memberId = req.memberId;
    if (this.closed || signal?.aborted === true) return Promise.resolve(joinError(memberId, GroupError.COORDINATOR_NOT_AVAILABLE));
    if (req.groupId === '') return Promise.resolve(joinError(memberId, GroupError.INVALID_GROUP_ID));
    const newMemberId = `${clientId ?? ''}-${randomUUID()}`;
    const key = memberId === '' ? newMemberId : memberId;
    const wkey = waiterKey(req.groupId, key);
    const rebalanceTimeoutMs = version >= 1 && req.rebalanceTimeoutMs !== undefined && req.rebalanceTimeoutMs >= 0
      ? req.rebalanceTimeoutMs : req.sessionTimeoutMs; // v0 has none; Kafka uses the session timeout
    const result = new Promise<JoinResult>((resolve) => {
      this.joinWaiters.get(wkey)?.(joinError(key, GroupError.REBALANCE_IN_PROGRESS)); // superseded by a retry
      const done = (r: JoinResult): void => { signal?.removeEventListener('abort', onAbort); resolve(r); };
      const onAbort = (): void => {
        if (this.joinWaiters.get(wkey) !== done) return;
        this.joinWaiters.delete(wkey);
        this.apply(req.groupId, { type: 'join-abandoned', memberId: key });
        done(joinError(key, GroupError.COORDINATOR_NOT_AVAILABLE));
      };
      this.joinWaiters.set(wkey, done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.apply(req.groupId, {
      type: 'join', memberId, newMemberId, requireKnownMemberId: version >= 4,
      groupInstanceId: req.groupInstanceId ?? null, clientId: clientId ?? '', clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs, rebalanceTimeoutMs, protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    });
    return result;
  }

  /** SyncGroup. Followers wait for the leader's assignments; `signal` as for joinGroup. */
  syncGroup(req: SyncGroupRequest, signal?: AbortSignal): Promise<SyncResult> {
    if (this.closed || signal?.aborted === true) return Promise.resolve(syncError(GroupError.COORDINATOR_NOT_AVAILABLE));
    if (req.groupId === '') return Promise.resolve(syncError(GroupError.INVALID_GROUP_ID));
    if (!this.groups.has(req.groupId)) return Promise.resolve(syncError(GroupError.UNKNOWN_MEMBER_ID));
    const wkey = waiterKey(req.groupId, req.memberId);
    const result = new Promise<SyncResult>((resolve) => {
      this.syncWaiters.get(wkey)?.(syncError(GroupError.REBALANCE_IN_PROGRESS));
      const done = (r: SyncResult): void => { signal?.removeEventListener('abort', onAbort); resolve(r); };
      const onAbort = (): void => {
        if (this.syncWaiters.get(wkey) !== done) return;
        this.syncWaiters.delete(wkey);
        this.apply(req.groupId, { type: 'sync-abandoned', memberId: req.memberId });
        done(syncError(GroupError.COORDINATOR_NOT_AVAILABLE));
      };
      this.syncWaiters.set(wkey, done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.apply(req.groupId, {
      type: 'sync', memberId: req.memberId, generationId: req.generationId,
      protocolType: req.protocolType ?? null, protocolName: req.protocolName ?? null,
      assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
    });
    return result;
  }

  heartbeat(req: HeartbeatRequest): number {
    if (this.closed) return GroupError.COORDINATOR_NOT_AVAILABLE;
    if (req.groupId === '') return GroupError.INVALID_GROUP_ID;
    if (!this.groups.has(req.groupId)) return GroupError.UNKNOWN_MEMBER_ID;
    return replyOf(this.apply(req.groupId, { type: 'heartbeat', memberId: req.memberId, generationId: req.generationId }));
  }

  /** LeaveGroup: v0-2 carry one memberId, v3+ a members[] batch with per-member errors. */
  leaveGroup(req: LeaveGroupRequest): { errorCode: number; members: LeaveResult[] } {
    const members = (req.members ?? [{ memberId: req.memberId ?? '', groupInstanceId: null }])
      .map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId ?? null }));
    const all = (code: number): { errorCode: number; members: LeaveResult[] } => ({ errorCode: code, members: members.map((m) => ({ ...m, errorCode: code })) });
    if (this.closed) return all(GroupError.COORDINATOR_NOT_AVAILABLE);
    if (req.groupId === '') return all(GroupError.INVALID_GROUP_ID);
    if (!this.groups.has(req.groupId)) return all(GroupError.UNKNOWN_MEMBER_ID);
    const effect = this.apply(req.groupId, { type: 'leave', members }).find((e) => e.type === 'leave-response');
    const results = effect?.members ?? [];
    // Kafka's LeaveGroupResponse: top-level error = first member error when there is no group error.
    return { errorCode: results.find((r) => r.errorCode !== GroupError.NONE)?.errorCode ?? GroupError.NONE, members: [...results] };
  }

  /**
   * OffsetCommit for partitions the caller already checked exist. Returns one error code for all
   * of them; NONE only after the OffsetStore made them durable.
   */
  async commitOffsets(groupId: string, generationId: number, memberId: string, entries: CommitEntry[]): Promise<number> {
    if (this.closed) return GroupError.COORDINATOR_NOT_AVAILABLE;
    if (groupId === '') return GroupError.INVALID_GROUP_ID;
    // Kafka: no such group and a generation >= 0 means a stale member of a deleted group.
    if (!this.groups.has(groupId) && generationId >= 0) return GroupError.ILLEGAL_GENERATION;
    const code = replyOf(this.apply(groupId, { type: 'commit-check', memberId, generationId }));
    if (code !== GroupError.NONE || entries.length === 0) return code;
    try {
      await this.offsets.commit(groupId, entries, this.clock.now());
      return GroupError.NONE;
    } catch (err) {
      this.log.error({ err, groupId }, 'offset commit failed');
      return GroupError.COORDINATOR_NOT_AVAILABLE;
    }
  }

  /** Committed offset of one partition, or offset -1 when there is none (Kafka's "no offset"). */
  fetchOffset(groupId: string, topic: string, partition: number): { offset: bigint; leaderEpoch: number; metadata: string | null } {
    return this.offsets.fetch(groupId, topic, partition) ?? { offset: -1n, leaderEpoch: -1, metadata: '' };
  }

  /** All committed offsets of a group (OffsetFetch with null topics). */
  groupOffsets(groupId: string): ReadonlyArray<CommitEntry> {
    return this.offsets.groupOffsets(groupId);
  }

  describeGroups(groupIds: readonly string[]): GroupDescription[] {
    const withOffsets = new Set(this.offsets.groups());
    return groupIds.map((id) => describeGroup(id, this.groups.get(id), withOffsets.has(id)));
  }

  /** Groups with members, history or committed offsets (ListGroups). */
  listGroups(): { groupId: string; protocolType: string; state: string }[] {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groups()]);
    return this.describeGroups([...ids]).map((d) => ({ groupId: d.groupId, protocolType: d.protocolType, state: d.state }));
  }

  /** DeleteGroups: only Empty groups (NON_EMPTY_GROUP 68 otherwise); unknown: GROUP_ID_NOT_FOUND 69. */
  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const withOffsets = new Set(this.offsets.groups());
    const out: { groupId: string; errorCode: number }[] = [];
    for (const groupId of groupIds) {
      let code: number;
      if (this.closed) code = GroupError.COORDINATOR_NOT_AVAILABLE;
      else if (this.groups.has(groupId)) code = replyOf(this.apply(groupId, { type: 'delete' }));
      else code = withOffsets.has(groupId) ? GroupError.NONE : GroupError.GROUP_ID_NOT_FOUND;
      if (code === GroupError.NONE) {
        try {
          await this.writes.get(groupId);
          await this.offsets.deleteGroup(groupId);
        } catch (err) {
          this.log.error({ err, groupId }, 'group delete failed');
          code = GroupError.COORDINATOR_NOT_AVAILABLE;
        }
      }
      out.push({ groupId, errorCode: code });
    }
    return out;
  }

  /**
   * A topic was deleted: like Kafka, drop its committed offsets in every group (so a topic
   * re-created under the same name does not resume from stale offsets). Fire-and-forget;
   * a failure is logged.
   */
  onTopicDeleted(topic: string): void {
    const drop = this.offsets.deleteTopic?.bind(this.offsets);
    if (drop === undefined) return;
    drop(topic).catch((err: unknown) => { this.log.error({ err, topic }, 'dropping offsets of a deleted topic failed'); });
  }

  /** Current state of a group (tests and diagnostics). */
  group(groupId: string): GroupState | undefined {
    return this.groups.get(groupId);
  }

  private apply(groupId: string, event: GroupEvent, from?: GroupState): GroupEffect[] {
    const before = from ?? this.groups.get(groupId) ?? emptyGroup(groupId);
    const { group, effects } = step(before, event, this.clock.now(), this.config);
    if (worthKeeping(group)) this.groups.set(groupId, group);
    else this.groups.delete(groupId);
    if (group.phase !== before.phase || group.generationId !== before.generationId) {
      this.log.info({ groupId, from: before.phase, to: group.phase, generationId: group.generationId, members: group.members.length }, 'group state change');
    }
    for (const e of effects) this.perform(groupId, e);
    return [...effects];
  }

  private perform(groupId: string, e: GroupEffect): void {
    switch (e.type) {
      case 'join-response': {
        const w = this.joinWaiters.get(waiterKey(groupId, e.to));
        this.joinWaiters.delete(waiterKey(groupId, e.to));
        w?.(e.result);
        break;
      }
      case 'sync-response': {
        const w = this.syncWaiters.get(waiterKey(groupId, e.to));
        this.syncWaiters.delete(waiterKey(groupId, e.to));
        w?.(e.result);
        break;
      }
      case 'persist': this.persist(groupId, e.group); break;
      case 'wake-at': this.schedule(groupId, e.atMs); break;
      case 'reply': case 'leave-response': break; // read by the caller of apply()
    }
  }

  /** Metadata writes per group are chained so they land in order. Answers do not wait for them. */
  private persist(groupId: string, g: GroupState): void {
    const record = toRecord(g);
    const prev = this.writes.get(groupId) ?? Promise.resolve();
    const next = prev
      .then(() => this.offsets.putGroupMetadata(groupId, record))
      .catch((err: unknown) => { this.log.error({ err, groupId }, 'group metadata write failed'); })
      .finally(() => { if (this.writes.get(groupId) === next) this.writes.delete(groupId); });
    this.writes.set(groupId, next);
  }

  private schedule(groupId: string, atMs: number | null): void {
    const current = this.timers.get(groupId);
    if (current !== undefined && current.atMs === atMs) return;
    if (current !== undefined) this.scheduler.clearTimeout(current.handle);
    this.timers.delete(groupId);
    if (atMs === null || this.closed) return;
    const delay = Math.max(0, atMs - this.clock.now());
    const handle = this.scheduler.setTimeout(() => {
      if (this.timers.get(groupId)?.handle !== handle) return;
      this.timers.delete(groupId);
      this.apply(groupId, { type: 'timer-fired' });
    }, delay);
    this.timers.set(groupId, { handle, atMs });
  }
}

function waiterKey(groupId: string, memberId: string): string {
  return `${groupId}\u0000${memberId}`;
}

function replyOf(effects: readonly GroupEffect[]): number {
  for (const e of effects) if (e.type === 'reply') return e.errorCode;
  return GroupError.UNKNOWN_SERVER_ERROR; // every step() for these events replies; defensive
}
