// Group membership over the wire: FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3,
// OffsetFetch v5, OffsetCommit v7, LeaveGroup v3 (the versions kafkajs sends or close to them,
// all non-flexible and all served by packages/broker and by Kafka 2.3+).
//
// Join: JoinGroup with memberId "" gets MEMBER_ID_REQUIRED (79) and an id; rejoin with it. The
// member JoinGroup names leader decodes every member's subscription, asks the Assigner and sends
// all assignments in its SyncGroup; every member reads its own from the SyncGroup response.
import { ApiKey, ErrorCode, decodeConsumerProtocolAssignment, decodeConsumerProtocolSubscription, encodeConsumerProtocolAssignment, encodeConsumerProtocolSubscription } from '@warmcast/kafka-protocol';
import type {
  FindCoordinatorResponse, HeartbeatResponse, JoinGroupResponse, LeaveGroupResponse, OffsetCommitResponse, OffsetFetchResponse, SyncGroupResponse,
} from '@warmcast/kafka-protocol';
import type { Assigner, TopicPartitions } from './core/assignment.ts';
import type { Cluster } from './cluster.ts';
import type { Connection } from './connection.ts';
import { LeanClientError } from './errors.ts';

const V = { findCoordinator: 2, join: 5, sync: 3, heartbeat: 3, offsetFetch: 5, offsetCommit: 7, leave: 3 } as const;

/** Answers after which the member must rejoin (its generation is over). */
const REJOIN = new Set<number>([ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID]);
/** Answers after which the coordinator must be looked up again. */
const MOVED = new Set<number>([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);

export interface GroupOptions {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly assigners: readonly Assigner[];
}

export interface Membership {
  readonly generationId: number;
  readonly memberId: string;
  readonly assignment: TopicPartitions;
}

export class Group {
  memberId = '';
  generationId = -1;
  private coordinator: Connection | undefined;

  constructor(private readonly cluster: Cluster, private readonly o: GroupOptions) {}

  async connection(): Promise<Connection> {
    if (this.coordinator !== undefined && !this.coordinator.broken) return this.coordinator;
    this.coordinator = undefined;
    const res = await this.cluster.any('group', (c) => c.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, V.findCoordinator, { key: this.o.groupId, keyType: 0 }));
    if (res.errorCode !== 0) {
      throw new LeanClientError('COORDINATOR_NOT_AVAILABLE', `no coordinator for group ${this.o.groupId} (Kafka error ${res.errorCode}${res.errorMessage === null ? '' : `: ${res.errorMessage}`})`, { kafkaCode: res.errorCode });
    }
    this.coordinator = await this.cluster.connectTo(res.host, res.port, 'group');
    return this.coordinator;
  }

  /** Joins (or rejoins) and syncs; retries rejoin answers itself, throws the rest. */
  async join(topics: readonly string[], partitionsOf: (topics: readonly string[]) => Promise<Record<string, number[]>>): Promise<Membership> {
    const metadata = encodeConsumerProtocolSubscription({ topics: [...topics], userData: Buffer.alloc(0) }, 0);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 20) throw new LeanClientError('REBALANCE_IN_PROGRESS', `group ${this.o.groupId}: no stable generation after ${attempt} joins`);
      const c = await this.connection();
      const join = await c.request<JoinGroupResponse>(ApiKey.JoinGroup, V.join, {
        groupId: this.o.groupId, sessionTimeoutMs: this.o.sessionTimeoutMs, rebalanceTimeoutMs: this.o.rebalanceTimeoutMs,
        memberId: this.memberId, groupInstanceId: null, protocolType: 'consumer',
        protocols: this.o.assigners.map((a) => ({ name: a.name, metadata })),
      });
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) { this.memberId = join.memberId; continue; }
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) { this.memberId = ''; continue; }
      if (join.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) continue;
      this.check(join.errorCode, 'JoinGroup');
      this.memberId = join.memberId;
      this.generationId = join.generationId;
      let assignments: { memberId: string; assignment: Buffer }[] = [];
      if (join.leader === join.memberId) assignments = await this.assign(join, partitionsOf);
      const sync = await c.request<SyncGroupResponse>(ApiKey.SyncGroup, V.sync, {
        groupId: this.o.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null,
        protocolType: 'consumer', protocolName: join.protocolName, assignments,
      });
      if (sync.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) { this.memberId = ''; continue; }
      if (REJOIN.has(sync.errorCode)) continue;
      this.check(sync.errorCode, 'SyncGroup');
      const assignment: TopicPartitions = {};
      if (sync.assignment.length > 0) {
        for (const tp of decodeConsumerProtocolAssignment(sync.assignment).assignment.assignedPartitions) assignment[tp.topic] = [...tp.partitions];
      }
      return { generationId: this.generationId, memberId: this.memberId, assignment };
    }
  }

  private async assign(join: JoinGroupResponse, partitionsOf: (topics: readonly string[]) => Promise<Record<string, number[]>>): Promise<{ memberId: string; assignment: Buffer }[]> {
    const assigner = this.o.assigners.find((a) => a.name === join.protocolName);
    if (assigner === undefined) throw new LeanClientError('GROUP_ERROR', `group ${this.o.groupId} chose protocol ${join.protocolName ?? 'null'}, which this member does not offer`);
    const members = join.members.map((m) => ({ memberId: m.memberId, topics: decodeConsumerProtocolSubscription(m.metadata).subscription.topics }));
    const all = [...new Set(members.flatMap((m) => m.topics))].sort();
    const plan = assigner.assign(members, await partitionsOf(all));
    return members.map((m) => ({
      memberId: m.memberId,
      assignment: encodeConsumerProtocolAssignment({ assignedPartitions: Object.entries(plan.get(m.memberId) ?? {}).map(([topic, partitions]) => ({ topic, partitions })), userData: Buffer.alloc(0) }, 0),
    }));
  }

  /** Returns 'rejoin' when the generation is over; throws for coordinator and other errors. */
  async heartbeat(): Promise<'ok' | 'rejoin'> {
    const c = await this.connection();
    const res = await c.request<HeartbeatResponse>(ApiKey.Heartbeat, V.heartbeat, { groupId: this.o.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null });
    if (res.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
    if (REJOIN.has(res.errorCode)) return 'rejoin';
    this.check(res.errorCode, 'Heartbeat');
    return 'ok';
  }

  /** Committed offsets (-1n: none) of the given partitions. */
  async committed(assignment: TopicPartitions): Promise<Map<string, bigint>> {
    const c = await this.connection();
    const res = await c.request<OffsetFetchResponse>(ApiKey.OffsetFetch, V.offsetFetch, {
      groupId: this.o.groupId, topics: Object.entries(assignment).map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
    });
    this.check(res.errorCode, 'OffsetFetch');
    const out = new Map<string, bigint>();
    for (const t of res.topics) for (const p of t.partitions) {
      this.check(p.errorCode, `OffsetFetch ${t.name}/${p.partitionIndex}`);
      out.set(`${t.name}\u0000${p.partitionIndex}`, p.committedOffset);
    }
    return out;
  }

  async commit(offsets: readonly { topic: string; partition: number; offset: string }[]): Promise<void> {
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedMetadata: string }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (list === undefined) { list = []; byTopic.set(o.topic, list); }
      list.push({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedMetadata: '' });
    }
    const c = await this.connection();
    const res = await c.request<OffsetCommitResponse>(ApiKey.OffsetCommit, V.offsetCommit, {
      groupId: this.o.groupId, generationIdOrMemberEpoch: this.generationId, memberId: this.memberId, groupInstanceId: null,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    });
    for (const t of res.topics) for (const p of t.partitions) {
      if (p.errorCode === 0) continue;
      if (REJOIN.has(p.errorCode)) throw new LeanClientError('REBALANCE_IN_PROGRESS', `commit ${t.name}/${p.partitionIndex}: the group is rebalancing (Kafka error ${p.errorCode})`, { kafkaCode: p.errorCode });
      if (MOVED.has(p.errorCode)) { this.coordinator = undefined; throw new LeanClientError('COORDINATOR_NOT_AVAILABLE', `commit ${t.name}/${p.partitionIndex}: coordinator moved (Kafka error ${p.errorCode})`, { kafkaCode: p.errorCode }); }
      throw new LeanClientError('COMMIT_FAILED', `commit ${t.name}/${p.partitionIndex}: Kafka error ${p.errorCode}`, { kafkaCode: p.errorCode });
    }
  }

  async leave(): Promise<void> {
    if (this.memberId === '') return;
    const c = await this.connection();
    const res = await c.request<LeaveGroupResponse>(ApiKey.LeaveGroup, V.leave, { groupId: this.o.groupId, members: [{ memberId: this.memberId, groupInstanceId: null }] });
    this.memberId = '';
    this.generationId = -1;
    if (res.errorCode !== 0 && res.errorCode !== ErrorCode.UNKNOWN_MEMBER_ID) this.check(res.errorCode, 'LeaveGroup');
  }

  forgetCoordinator(): void { this.coordinator = undefined; }

  private check(code: number, what: string): void {
    if (code === 0) return;
    if (MOVED.has(code)) {
      this.coordinator = undefined;
      throw new LeanClientError('COORDINATOR_NOT_AVAILABLE', `${what} for group ${this.o.groupId}: coordinator not available (Kafka error ${code})`, { kafkaCode: code });
    }
    if (REJOIN.has(code)) throw new LeanClientError('REBALANCE_IN_PROGRESS', `${what} for group ${this.o.groupId}: rebalance (Kafka error ${code})`, { kafkaCode: code });
    throw new LeanClientError('GROUP_ERROR', `${what} for group ${this.o.groupId}: Kafka error ${code}`, { kafkaCode: code });
  }
}
