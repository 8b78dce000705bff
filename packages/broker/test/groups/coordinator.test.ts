import { afterEach, describe, expect, it } from 'vitest';
import { GroupError as E } from '../../src/core/group-errors.ts';
import { GroupCoordinator } from '../../src/groups/coordinator.ts';
import type { JoinGroupRequest } from '../../src/groups/wire-types.ts';
import { FakeOffsetStore, ManualTime, silentLog } from './fakes.ts';

const join = (groupId: string, memberId: string, protocols = ['RoundRobinAssigner']): JoinGroupRequest => ({
  groupId, memberId, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, groupInstanceId: null, protocolType: 'consumer',
  protocols: protocols.map((name) => ({ name, metadata: Buffer.from(name) })),
});

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

let open: GroupCoordinator[] = [];
function make(store = new FakeOffsetStore(), time = new ManualTime()): { c: GroupCoordinator; store: FakeOffsetStore; time: ManualTime } {
  const c = new GroupCoordinator({ offsets: store, clock: time.clock, log: silentLog, scheduler: time, initialRebalanceDelayMs: 100 });
  c.start();
  open.push(c);
  return { c, store, time };
}
afterEach(async () => { await Promise.all(open.map((c) => c.close())); open = []; });

/** Two members join with v5 (MEMBER_ID_REQUIRED + rejoin), leader syncs: a Stable group. */
async function stableGroup(c: GroupCoordinator, time: ManualTime, groupId: string): Promise<{ a: string; b: string }> {
  const a0 = await c.joinGroup(join(groupId, ''), 5, 'app', '/127.0.0.1');
  const b0 = await c.joinGroup(join(groupId, ''), 5, 'app', '/127.0.0.1');
  expect([a0.errorCode, b0.errorCode]).toEqual([E.MEMBER_ID_REQUIRED, E.MEMBER_ID_REQUIRED]);
  expect(a0.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
  const pa = c.joinGroup(join(groupId, a0.memberId), 5, 'app', '/127.0.0.1');
  const pb = c.joinGroup(join(groupId, b0.memberId), 5, 'app', '/127.0.0.1');
  time.advance(200); // initial delay 100 ms, extended once because b arrived inside the first window
  const [ja, jb] = await Promise.all([pa, pb]);
  expect(ja).toMatchObject({ errorCode: 0, generationId: 1, leader: a0.memberId });
  expect(ja.members.map((m) => m.memberId)).toEqual([a0.memberId, b0.memberId]);
  expect(jb.members).toEqual([]);
  const sb = c.syncGroup({ groupId, generationId: 1, memberId: b0.memberId, assignments: [] });
  let followerDone = false;
  void sb.then(() => { followerDone = true; });
  await flush();
  expect(followerDone).toBe(false); // waits for the leader
  const sa = await c.syncGroup({ groupId, generationId: 1, memberId: a0.memberId, assignments: [
    { memberId: a0.memberId, assignment: Buffer.from('for-a') }, { memberId: b0.memberId, assignment: Buffer.from('for-b') },
  ] });
  expect(Buffer.from(sa.assignment).toString()).toBe('for-a');
  expect(Buffer.from((await sb).assignment).toString()).toBe('for-b');
  return { a: a0.memberId, b: b0.memberId };
}

describe('GroupCoordinator (shell, manual clock)', () => {
  it('joins two v5 members into one generation, follower sync waits for the leader, metadata is persisted', async () => {
    const { c, store, time } = make();
    const { a, b } = await stableGroup(c, time, 'g1');
    await flush();
    expect(store.groupMetadata('g1')).toMatchObject({ v: 1, generationId: 1, leaderId: a });
    const [d] = c.describeGroups(['g1']);
    expect(d?.state).toBe('Stable');
    expect(d?.members.map((m) => m.memberId)).toEqual([a, b]);
  });

  it('a member that stops heartbeating is removed at its session timeout; the other learns via heartbeat and rejoins', async () => {
    const { c, time } = make();
    const { a, b } = await stableGroup(c, time, 'g2');
    for (let i = 0; i < 9; i++) { // every 3 s, as kafkajs and librdkafka do, up to t=27200
      time.advance(3000);
      expect(c.heartbeat({ groupId: 'g2', generationId: 1, memberId: a })).toBe(E.NONE);
    }
    expect(c.group('g2')?.members).toHaveLength(2);
    time.advance(3000); // b last refreshed at t=200 (its sync); its 30 s session ends at 30200
    expect(c.group('g2')?.members.map((m) => m.memberId)).toEqual([a]);
    expect(c.heartbeat({ groupId: 'g2', generationId: 1, memberId: a })).toBe(E.REBALANCE_IN_PROGRESS);
    expect(c.heartbeat({ groupId: 'g2', generationId: 1, memberId: b })).toBe(E.UNKNOWN_MEMBER_ID);
    const j = await c.joinGroup(join('g2', a), 5, 'app', '/h');
    expect(j).toMatchObject({ errorCode: 0, generationId: 2, leader: a });
  });

  it('an aborted JoinGroup stops waiting; the member stays until its session expires', async () => {
    const { c, time } = make();
    const { a, b } = await stableGroup(c, time, 'g3');
    const ac = new AbortController();
    const n0 = await c.joinGroup(join('g3', ''), 5, 'late', '/h', ac.signal);
    const pending = c.joinGroup(join('g3', n0.memberId), 5, 'late', '/h', ac.signal);
    ac.abort();
    expect((await pending).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(c.group('g3')?.members.map((m) => m.memberId)).toContain(n0.memberId);
    const pa = c.joinGroup(join('g3', a), 5, 'app', '/h');
    const pb = c.joinGroup(join('g3', b), 5, 'app', '/h');
    time.advance(30_000); // the abandoned member's session ends; the join completes without it
    const [ja] = await Promise.all([pa, pb]);
    expect(ja.generationId).toBe(2);
    expect(ja.members.map((m) => m.memberId)).toEqual([a, b]);
  });

  it('offset commits: accepted from the generation, rejected from strangers, simple consumer only when Empty', async () => {
    const { c, store, time } = make();
    const { a } = await stableGroup(c, time, 'g4');
    const entry = { topic: 't', partition: 0, offset: 42n, leaderEpoch: -1, metadata: null };
    expect(await c.commitOffsets('g4', 1, a, [entry])).toBe(E.NONE);
    expect(await c.commitOffsets('g4', -1, '', [{ ...entry, offset: 7n }])).toBe(E.UNKNOWN_MEMBER_ID);
    expect(await c.commitOffsets('g4', 0, a, [entry])).toBe(E.ILLEGAL_GENERATION);
    expect(c.fetchOffset('g4', 't', 0)).toEqual({ offset: 42n, leaderEpoch: -1, metadata: null });
    expect(c.fetchOffset('g4', 't', 1).offset).toBe(-1n);
    expect(await c.commitOffsets('fresh', -1, '', [entry])).toBe(E.NONE); // admin.setOffsets path
    expect(await c.commitOffsets('other', 3, 'x', [entry])).toBe(E.ILLEGAL_GENERATION);
    expect(store.commits).toBe(2);
    expect(c.listGroups().map((g) => g.groupId).sort()).toEqual(['fresh', 'g4']);
  });

  it('after a restart on the same store the group is described as before and members expire unless they heartbeat', async () => {
    const store = new FakeOffsetStore();
    const first = make(store);
    const { a, b } = await stableGroup(first.c, first.time, 'g5');
    await first.c.close();
    const time = new ManualTime();
    time.nowMs = 1_000_000;
    const { c } = make(store, time);
    expect(c.describeGroups(['g5'])[0]).toMatchObject({ state: 'Stable', protocolData: 'RoundRobinAssigner' });
    time.advance(20_000);
    expect(c.heartbeat({ groupId: 'g5', generationId: 1, memberId: a })).toBe(E.NONE);
    time.advance(10_000); // b silent for one session timeout
    expect(c.group('g5')?.members.map((m) => m.memberId)).toEqual([a]);
    expect(c.heartbeat({ groupId: 'g5', generationId: 1, memberId: b })).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('DeleteGroups: non-empty 68, unknown 69, Empty group deleted with its offsets', async () => {
    const { c, store, time } = make();
    const { a, b } = await stableGroup(c, time, 'g6');
    await c.commitOffsets('g6', 1, a, [{ topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: '' }]);
    expect(await c.deleteGroups(['g6', 'missing'])).toEqual([
      { groupId: 'g6', errorCode: E.NON_EMPTY_GROUP }, { groupId: 'missing', errorCode: E.GROUP_ID_NOT_FOUND },
    ]);
    const left = c.leaveGroup({ groupId: 'g6', members: [{ memberId: a }, { memberId: b }, { memberId: 'zz' }] });
    expect(left.members.map((m) => m.errorCode)).toEqual([E.NONE, E.NONE, E.UNKNOWN_MEMBER_ID]);
    expect(left.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(c.describeGroups(['g6'])[0]?.state).toBe('Empty');
    expect(await c.deleteGroups(['g6'])).toEqual([{ groupId: 'g6', errorCode: E.NONE }]);
    expect(store.groupOffsets('g6')).toEqual([]);
    expect(c.describeGroups(['g6'])[0]?.state).toBe('Dead');
  });

  it('close() answers waiting joins with COORDINATOR_NOT_AVAILABLE and clears every timer', async () => {
    const { c, time } = make();
    const n = await c.joinGroup(join('g7', ''), 5, 'x', '/h');
    const p = c.joinGroup(join('g7', n.memberId), 5, 'x', '/h');
    expect(time.pending()).toBe(1);
    await c.close();
    expect((await p).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(time.pending()).toBe(0);
    expect((await c.joinGroup(join('g7', ''), 5, 'x', '/h')).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });

  it('kafkajs and librdkafka consumers cannot share a group', async () => {
    const { c, time } = make();
    await stableGroup(c, time, 'g8');
    const r = await c.joinGroup(join('g8', '', ['range', 'roundrobin']), 5, 'rdkafka', '/h');
    expect(r.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL); // checked before a member id is handed out, as Kafka
    expect(c.group('g8')?.phase).toBe('Stable');
  });

  it('an aborted follower SyncGroup resolves; the leader\'s sync still completes the generation', async () => {
    const { c, time } = make();
    const a0 = await c.joinGroup(join('g9', ''), 5, 'app', '/h');
    const b0 = await c.joinGroup(join('g9', ''), 5, 'app', '/h');
    const pa = c.joinGroup(join('g9', a0.memberId), 5, 'app', '/h');
    const pb = c.joinGroup(join('g9', b0.memberId), 5, 'app', '/h');
    time.advance(200);
    await Promise.all([pa, pb]);
    const ac = new AbortController();
    const sb = c.syncGroup({ groupId: 'g9', generationId: 1, memberId: b0.memberId, assignments: [] }, ac.signal);
    ac.abort();
    expect((await sb).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    const sa = await c.syncGroup({ groupId: 'g9', generationId: 1, memberId: a0.memberId, assignments: [{ memberId: a0.memberId, assignment: Buffer.from('x') }] });
    expect(sa.errorCode).toBe(E.NONE);
    expect(c.group('g9')?.phase).toBe('Stable');
    // b never got its answer, but it is still a member until its session expires (30 s).
    expect(c.group('g9')?.members).toHaveLength(2);
  });

  it('rejects bad limits at construction with the key and value in the message', () => {
    const base = { offsets: new FakeOffsetStore(), clock: { now: () => 0 }, log: silentLog };
    expect(() => new GroupCoordinator({ ...base, initialRebalanceDelayMs: -1 })).toThrow(/initialRebalanceDelayMs must be >= 0, got -1/);
    expect(() => new GroupCoordinator({ ...base, minSessionTimeoutMs: 10, maxSessionTimeoutMs: 5 })).toThrow(/minSessionTimeoutMs/);
  });

  it('a deleted topic loses its committed offsets in every group (a re-created topic starts fresh)', async () => {
    const { c, store } = make();
    const e = (topic: string) => ({ topic, partition: 0, offset: 9n, leaderEpoch: -1, metadata: null });
    await c.commitOffsets('ga', -1, '', [e('gone'), e('kept')]);
    await c.commitOffsets('gb', -1, '', [e('gone')]);
    c.onTopicDeleted('gone');
    await flush();
    expect(store.groupOffsets('ga').map((o) => o.topic)).toEqual(['kept']);
    expect(c.fetchOffset('gb', 'gone', 0).offset).toBe(-1n);
  });
});
