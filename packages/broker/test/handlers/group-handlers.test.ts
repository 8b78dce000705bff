import { afterEach, describe, expect, it } from 'vitest';
import { GroupError as E } from '../../src/core/group-errors.ts';
import { deleteGroupsHandler } from '../../src/handlers/delete-groups.ts';
import { describeGroupsHandler } from '../../src/handlers/describe-groups.ts';
import { findCoordinatorHandler } from '../../src/handlers/find-coordinator.ts';
import { heartbeatHandler } from '../../src/handlers/heartbeat.ts';
import { joinGroupHandler } from '../../src/handlers/join-group.ts';
import { leaveGroupHandler } from '../../src/handlers/leave-group.ts';
import { listGroupsHandler } from '../../src/handlers/list-groups.ts';
import { offsetCommitHandler } from '../../src/handlers/offset-commit.ts';
import { offsetFetchHandler } from '../../src/handlers/offset-fetch.ts';
import { syncGroupHandler } from '../../src/handlers/sync-group.ts';
import { call, groupBroker } from './group-handlers-fixture.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => { await Promise.all(cleanup.map((f) => f())); cleanup = []; });
function setup(): ReturnType<typeof groupBroker> {
  const b = groupBroker();
  cleanup.push(b.close);
  return b;
}

const joinReq = (memberId: string) => ({
  groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000, memberId, groupInstanceId: null,
  protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1]) }],
});

describe('group API handlers', () => {
  it('advertise the ranges of CLIENT_NOTES §3', () => {
    const ranges = [findCoordinatorHandler, joinGroupHandler, syncGroupHandler, heartbeatHandler, leaveGroupHandler,
      offsetCommitHandler, offsetFetchHandler, describeGroupsHandler, listGroupsHandler, deleteGroupsHandler]
      .map((h) => [h.apiKey, h.minVersion, h.maxVersion]);
    expect(ranges).toEqual([[10, 0, 2], [11, 0, 5], [14, 0, 3], [12, 0, 3], [13, 0, 3], [8, 2, 7], [9, 1, 7], [15, 0, 4], [16, 0, 2], [42, 0, 1]]);
  });

  it('FindCoordinator: this node for groups, COORDINATOR_NOT_AVAILABLE for transactions', async () => {
    const { broker } = setup();
    expect(await call(findCoordinatorHandler, broker, 0, { key: 'g' })).toMatchObject({ errorCode: 0, nodeId: 1, host: '127.0.0.1', port: 19092 });
    expect(await call(findCoordinatorHandler, broker, 2, { key: 'tx', keyType: 1 })).toMatchObject({ errorCode: E.COORDINATOR_NOT_AVAILABLE });
  });

  it('JoinGroup v5 -> 79 then a full round: join, sync, heartbeat, commit, fetch, describe, list, leave v1, delete', async () => {
    const { broker, time } = setup();
    const first = await call(joinGroupHandler, broker, 5, joinReq(''));
    expect(first).toMatchObject({ errorCode: E.MEMBER_ID_REQUIRED, protocolName: '' });
    const id = first?.memberId ?? '';
    expect(id.startsWith('test-client-')).toBe(true);
    const joined = call(joinGroupHandler, broker, 5, joinReq(id));
    time.advance(50);
    const j = await joined;
    expect(j).toMatchObject({ errorCode: 0, generationId: 1, leader: id, memberId: id, protocolName: 'RoundRobinAssigner' });
    expect(Buffer.isBuffer(j?.members[0]?.metadata)).toBe(true);
    const s = await call(syncGroupHandler, broker, 3, { groupId: 'g', generationId: 1, memberId: id, assignments: [{ memberId: id, assignment: Buffer.from([9]) }] });
    expect(s?.errorCode).toBe(0);
    expect(Buffer.isBuffer(s?.assignment) && s.assignment[0]).toBe(9);
    expect((await call(heartbeatHandler, broker, 3, { groupId: 'g', generationId: 1, memberId: id }))?.errorCode).toBe(0);

    const commit = await call(offsetCommitHandler, broker, 5, {
      groupId: 'g', generationIdOrMemberEpoch: 1, memberId: id,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 10n, committedMetadata: null }, { partitionIndex: 7, committedOffset: 1n, committedMetadata: null }] },
        { name: 'nope', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: 'x'.repeat(5000) }] }],
    });
    expect(commit?.topics.map((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode]))).toEqual([[[0, 0], [7, E.UNKNOWN_TOPIC_OR_PARTITION]], [[0, E.UNKNOWN_TOPIC_OR_PARTITION]]]);
    const bigMeta = await call(offsetCommitHandler, broker, 5, {
      groupId: 'g', generationIdOrMemberEpoch: 1, memberId: id,
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 1n, committedMetadata: 'x'.repeat(5000) }] }],
    });
    expect(bigMeta?.topics[0]?.partitions[0]?.errorCode).toBe(E.OFFSET_METADATA_TOO_LARGE);

    const fetched = await call(offsetFetchHandler, broker, 4, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    expect(fetched?.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([[0, 10n, 0], [1, -1n, 0]]);
    const all = await call(offsetFetchHandler, broker, 7, { groupId: 'g', topics: null });
    expect(all?.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([['t', [10n]]]);

    const described = await call(describeGroupsHandler, broker, 2, { groups: ['g', 'unknown'] });
    expect(described?.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.members.length])).toEqual([['g', 0, 'Stable', 1], ['unknown', 0, 'Dead', 0]]);
    expect(described?.groups[0]?.members[0]).toMatchObject({ clientId: 'test-client', clientHost: '/127.0.0.1' });
    expect((await call(listGroupsHandler, broker, 2, {}))?.groups.map((g) => [g.groupId, g.protocolType])).toEqual([['g', 'consumer']]);

    expect((await call(deleteGroupsHandler, broker, 1, { groupsNames: ['g'] }))?.results).toEqual([{ groupId: 'g', errorCode: E.NON_EMPTY_GROUP }]);
    // librdkafka's LeaveGroup v1: single memberId; the codec may default members to [] for v0-2.
    const left = await call(leaveGroupHandler, broker, 1, { groupId: 'g', memberId: id, members: [] });
    expect(left).toMatchObject({ errorCode: 0, members: [] });
    expect((await call(deleteGroupsHandler, broker, 1, { groupsNames: ['g', 'x'] }))?.results).toEqual([
      { groupId: 'g', errorCode: 0 }, { groupId: 'x', errorCode: E.GROUP_ID_NOT_FOUND },
    ]);
  });

  it('JoinGroup v0-3 hands out the member id directly; LeaveGroup v3 (kafkajs) answers per member', async () => {
    const { broker, time } = setup();
    const pending = call(joinGroupHandler, broker, 0, joinReq('')) // v0: no rebalance timeout on the wire;
    time.advance(50);
    const j = await pending;
    expect(j).toMatchObject({ errorCode: 0, generationId: 1 });
    const id = j?.memberId ?? '';
    expect(id.startsWith('test-client-')).toBe(true);
    const left = await call(leaveGroupHandler, broker, 3, { groupId: 'g', members: [{ memberId: id, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] });
    expect(left?.members).toEqual([
      { memberId: id, groupInstanceId: null, errorCode: 0 }, { memberId: 'ghost', groupInstanceId: null, errorCode: E.UNKNOWN_MEMBER_ID },
    ]);
    expect(left?.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await call(describeGroupsHandler, broker, 4, { groups: ['g'] }))?.groups[0]?.groupState).toBe('Empty');
  });

  it('a JoinGroup whose connection closes resolves instead of hanging', async () => {
    const { broker } = setup();
    const ac = new AbortController();
    const pending = call(joinGroupHandler, broker, 3, joinReq(''), ac.signal);
    ac.abort();
    expect((await pending)?.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });
});
