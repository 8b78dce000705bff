import { describe, expect, it } from 'vitest';
import { GroupError as E } from '../../src/core/group-errors.ts';
import { GroupSim, joinEv, syncEv, text } from './group-harness.ts';

describe('group decider: joining a new group', () => {
  it('v5: empty memberId gets MEMBER_ID_REQUIRED, the rejoin waits for the 3000 ms initial delay, then generation 1 with A as leader', () => {
    const s = new GroupSim();
    s.send(joinEv('', { newMemberId: 'A' }), 0);
    expect(s.joins().get('A')).toMatchObject({ errorCode: E.MEMBER_ID_REQUIRED, memberId: 'A', generationId: -1 });
    expect(s.g.members).toHaveLength(0);
    expect(s.g.pendingMembers).toEqual([{ memberId: 'A', deadlineMs: 30_000 }]);

    s.send(joinEv('A'), 10);
    expect(s.joins().size).toBe(0);
    expect(s.g.phase).toBe('PreparingRebalance');
    expect(s.wake()).toBe(3010);

    s.send({ type: 'timer-fired' }, 3009);
    expect(s.joins().size).toBe(0);
    s.send({ type: 'timer-fired' }, 3010);
    const a = s.joins().get('A');
    expect(a).toMatchObject({ errorCode: 0, generationId: 1, leader: 'A', memberId: 'A', protocolName: 'RoundRobinAssigner', protocolType: 'consumer' });
    expect(a?.members.map((m) => m.memberId)).toEqual(['A']);
    expect(s.g.phase).toBe('CompletingRebalance');
    expect(s.wake()).toBe(3010 + 30_000); // session deadline after the join answer
  });

  it('v0-3: a new member gets its id directly, no rejoin', () => {
    const s = new GroupSim();
    s.send(joinEv('', { version: 3, newMemberId: 'c-1' }), 0);
    expect(s.joins().size).toBe(0);
    expect(s.ids()).toEqual(['c-1']);
  });

  it('members arriving during the initial delay extend it (3000 ms each, up to the rebalance timeout) and land in one generation', () => {
    const s = new GroupSim();
    s.add('A', 0);
    s.add('B', 2000);
    s.send({ type: 'timer-fired' }, 3000);
    expect(s.joins().size).toBe(0);
    expect(s.wake()).toBe(6000);
    s.add('C', 4000);
    s.send({ type: 'timer-fired' }, 6000);
    expect(s.wake()).toBe(9000);
    s.send({ type: 'timer-fired' }, 9000); // nobody new since 6000: complete
    const j = s.joins();
    expect([...j.keys()].sort()).toEqual(['A', 'B', 'C']);
    expect(j.get('A')?.members.map((m) => m.memberId)).toEqual(['A', 'B', 'C']);
    expect(j.get('B')?.members).toEqual([]);
    expect(j.get('C')?.leader).toBe('A');
    expect(new Set([...j.values()].map((r) => r.generationId))).toEqual(new Set([1]));
  });

  it('the initial delay never exceeds the rebalance timeout', () => {
    const s = new GroupSim();
    s.add('A', 0, { rebalance: 5000 });
    s.add('B', 1000, { rebalance: 5000 });
    s.send({ type: 'timer-fired' }, 3000);
    expect(s.wake()).toBe(5000); // 2000 ms budget left, not 3000
    s.add('C', 4000, { rebalance: 5000 });
    s.send({ type: 'timer-fired' }, 5000);
    expect(s.g.phase).toBe('CompletingRebalance');
  });
});

describe('group decider: SyncGroup', () => {
  it('a follower sync waits for the leader, then everyone gets its own assignment; Stable is persisted', () => {
    const s = new GroupSim();
    s.add('A', 0);
    s.add('B', 0);
    const t = s.settle(); // 6000: B arrived inside the first 3000 ms window, so the delay was extended once
    expect(t).toBe(6000);
    s.send(syncEv('B', 1), t + 100);
    expect(s.syncs().size).toBe(0);
    expect(s.g.phase).toBe('CompletingRebalance');
    s.send(syncEv('A', 1, { A: 'a-parts', B: 'b-parts' }), t + 200);
    expect(text(s.syncs().get('A')?.assignment)).toBe('a-parts');
    expect(text(s.syncs().get('B')?.assignment)).toBe('b-parts');
    expect(s.syncs().get('B')?.errorCode).toBe(0);
    expect(s.g.phase).toBe('Stable');
    expect(s.persisted()).toBe(true);
    // A late sync in Stable gets the stored assignment at once.
    s.send(syncEv('B', 1), t + 300);
    expect(text(s.syncs().get('B')?.assignment)).toBe('b-parts');
  });

  it.each([
    ['wrong generation', 'A', 7, E.ILLEGAL_GENERATION],
    ['unknown member', 'Z', 1, E.UNKNOWN_MEMBER_ID],
  ])('%s -> error', (_name, member, gen, code) => {
    const s = new GroupSim();
    s.add('A', 0);
    s.send({ type: 'timer-fired' }, 3000);
    s.send(syncEv(member, gen), 3100);
    expect(s.syncs().get(member)?.errorCode).toBe(code);
  });

  it('sync during the join phase -> REBALANCE_IN_PROGRESS; a pending follower sync is answered with it when a rebalance starts', () => {
    const s = new GroupSim();
    s.add('A', 0);
    s.add('B', 0);
    const t = s.settle();
    s.send(syncEv('B', 1), t + 100); // waiting for the leader
    s.add('C', t + 200); // new member: rebalance
    expect(s.syncs().get('B')?.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    expect(s.g.phase).toBe('PreparingRebalance');
    s.send(syncEv('A', 1, { A: 'x' }), t + 300);
    expect(s.syncs().get('A')?.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });
});

describe('group decider: pending SyncGroup timeout', () => {
  it('a leader that joins but never syncs is removed at join end + rebalance timeout; the waiting follower is told to rejoin', () => {
    const s = new GroupSim();
    s.add('A', 0, { rebalance: 20_000 });
    s.add('B', 0, { rebalance: 20_000 });
    const t = s.settle();
    expect(s.g.pendingSync).toEqual(['A', 'B']);
    s.send(syncEv('B', 1), t + 10);
    expect(s.g.pendingSync).toEqual(['A']);
    for (let at = t + 3000; at < t + 20_000; at += 3000) {
      s.send({ type: 'heartbeat', memberId: 'A', generationId: 1 }, at);
      expect(s.reply()).toBe(E.NONE); // heartbeats alone do not count as syncing
    }
    expect(s.wake()).toBe(t + 20_000);
    s.send({ type: 'timer-fired' }, t + 20_000);
    expect(s.ids()).toEqual(['B']);
    expect(s.syncs().get('B')?.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    expect(s.g.phase).toBe('PreparingRebalance');
  });

  it('everyone synced: no sync deadline left', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    expect(s.g.pendingSync).toEqual([]);
    expect(s.g.syncDeadlineMs).toBeNull();
  });
});

describe('group decider: heartbeats and session expiry', () => {
  it('3 members, C stops heartbeating: at its session deadline it is removed and the others get REBALANCE_IN_PROGRESS, rejoin, generation 2', () => {
    const s = new GroupSim();
    const t0 = s.stable(['A', 'B', 'C']); // Stable at t=3000, sessions 30000
    expect(s.g.phase).toBe('Stable');
    let t = t0;
    for (; t < t0 + 30_000; t += 3000) {
      s.send({ type: 'heartbeat', memberId: 'A', generationId: 1 }, t);
      expect(s.reply()).toBe(E.NONE);
      s.send({ type: 'heartbeat', memberId: 'B', generationId: 1 }, t);
    }
    expect(s.wake()).toBe(t0 + 30_000); // C's deadline is the earliest
    s.send({ type: 'timer-fired' }, t0 + 30_000);
    expect(s.ids()).toEqual(['A', 'B']);
    expect(s.g.phase).toBe('PreparingRebalance');
    s.send({ type: 'heartbeat', memberId: 'A', generationId: 1 }, t0 + 30_500);
    expect(s.reply()).toBe(E.REBALANCE_IN_PROGRESS);
    s.send({ type: 'heartbeat', memberId: 'C', generationId: 1 }, t0 + 30_600);
    expect(s.reply()).toBe(E.UNKNOWN_MEMBER_ID);
    s.send(joinEv('A'), t0 + 31_000);
    expect(s.joins().size).toBe(0); // B has not rejoined yet
    s.send(joinEv('B'), t0 + 31_100); // everyone is back: completes without waiting for the timeout
    expect(s.joins().get('A')).toMatchObject({ generationId: 2, leader: 'A' });
    expect(s.joins().get('A')?.members).toHaveLength(2);
    expect(s.joins().get('B')?.members).toHaveLength(0);
  });

  it('heartbeat errors: old generation 22, unknown member 25, CompletingRebalance 0', () => {
    const s = new GroupSim();
    s.stable(['A']);
    s.send({ type: 'heartbeat', memberId: 'A', generationId: 0 }, 4000);
    expect(s.reply()).toBe(E.ILLEGAL_GENERATION);
    s.send({ type: 'heartbeat', memberId: 'nobody', generationId: 1 }, 4000);
    expect(s.reply()).toBe(E.UNKNOWN_MEMBER_ID);
    s.add('B', 5000); // Stable -> PreparingRebalance; A must rejoin
    s.send(joinEv('A'), 5100);
    expect(s.g.phase).toBe('CompletingRebalance');
    s.send({ type: 'heartbeat', memberId: 'B', generationId: 2 }, 5200);
    expect(s.reply()).toBe(E.NONE);
  });

  it('a member that does not rejoin within the rebalance timeout is dropped from the generation', () => {
    const s = new GroupSim();
    s.stable(['A', 'B'], 0, { rebalance: 10_000, session: 60_000 });
    s.add('C', 4000, { rebalance: 10_000, session: 60_000 });
    expect(s.wake()).toBe(14_000);
    s.send(joinEv('A', { rebalance: 10_000, session: 60_000 }), 5000);
    s.send({ type: 'timer-fired' }, 14_000);
    expect(s.ids()).toEqual(['A', 'C']);
    expect(s.joins().get('A')?.members.map((m) => m.memberId)).toEqual(['A', 'C']);
    expect(s.joins().has('B')).toBe(false);
  });

  it('an abandoned JoinGroup (connection closed) leaves the member until its session expires', () => {
    const s = new GroupSim();
    const t = s.stable(['A', 'B']);
    s.add('C', t + 1000); // rebalance; join phase ends at the latest at t + 1000 + 60000
    s.send(joinEv('A'), t + 1100);
    s.send({ type: 'join-abandoned', memberId: 'C' }, t + 1200);
    s.send(joinEv('B'), t + 1300);
    expect(s.g.phase).toBe('PreparingRebalance'); // C counts as not rejoined
    expect(s.ids()).toContain('C');
    expect(s.wake()).toBe(t + 1000 + 30_000); // C's session (set at its join) now counts
    s.send({ type: 'timer-fired' }, t + 31_000);
    expect(s.ids()).toEqual(['A', 'B']);
    expect(s.joins().get('A')?.generationId).toBe(2);
  });

  it('a MEMBER_ID_REQUIRED id that never comes back expires after the session timeout', () => {
    const s = new GroupSim();
    s.send(joinEv('', { newMemberId: 'X', session: 10_000 }), 0);
    expect(s.wake()).toBe(10_000);
    s.send({ type: 'timer-fired' }, 10_000);
    expect(s.g.pendingMembers).toEqual([]);
    s.send(joinEv('X'), 10_001);
    expect(s.joins().get('X')?.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('session timeout outside [6000, 1800000] -> INVALID_SESSION_TIMEOUT', () => {
    const s = new GroupSim();
    s.send(joinEv('', { newMemberId: 'A', session: 5999 }), 0);
    expect(s.joins().get('A')?.errorCode).toBe(E.INVALID_SESSION_TIMEOUT);
  });
});

describe('group decider: LeaveGroup', () => {
  it('v3 batch: known member leaves (rebalance), unknown gets 25; the last leaving makes the group Empty', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    s.send({ type: 'leave', members: [{ memberId: 'B', groupInstanceId: null }, { memberId: 'X', groupInstanceId: null }] }, 5000);
    const leave = s.effects.find((e) => e.type === 'leave-response');
    expect(leave?.type === 'leave-response' ? leave.members.map((m) => m.errorCode) : []).toEqual([E.NONE, E.UNKNOWN_MEMBER_ID]);
    expect(s.ids()).toEqual(['A']);
    expect(s.g.phase).toBe('PreparingRebalance');
    s.send(joinEv('A'), 5100);
    expect(s.joins().get('A')?.generationId).toBe(2);
    s.send({ type: 'leave', members: [{ memberId: 'A', groupInstanceId: null }] }, 6000);
    expect(s.g.phase).toBe('Empty');
    expect(s.g.generationId).toBe(3);
    expect(s.g.leaderId).toBeNull();
    expect(s.persisted()).toBe(true);
  });

  it('the leader leaving hands leadership to the next member', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    s.send({ type: 'leave', members: [{ memberId: 'A', groupInstanceId: null }] }, 5000);
    s.send(joinEv('B'), 5100);
    expect(s.joins().get('B')).toMatchObject({ leader: 'B', generationId: 2 });
  });

  it('a member leaving while its JoinGroup waits gets UNKNOWN_MEMBER_ID on that join', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    s.add('C', 4000);
    s.send(joinEv('A'), 4100);
    s.send({ type: 'leave', members: [{ memberId: 'A', groupInstanceId: null }] }, 4200);
    expect(s.joins().get('A')?.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });
});

describe('group decider: protocols', () => {
  it('kafkajs RoundRobinAssigner and librdkafka range,roundrobin cannot share a group: INCONSISTENT_GROUP_PROTOCOL', () => {
    const s = new GroupSim();
    s.stable(['A']);
    s.send(joinEv('', { newMemberId: 'rd', protocols: ['range', 'roundrobin'] }), 5000);
    expect(s.joins().get('rd')?.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    expect(s.g.phase).toBe('Stable');
    s.send(joinEv('', { newMemberId: 'other', protocolType: 'connect' }), 5000);
    expect(s.joins().get('other')?.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('selects the protocol most members prefer among those all support', () => {
    const s = new GroupSim();
    s.add('A', 0, { protocols: ['range', 'roundrobin'] });
    s.add('B', 0, { protocols: ['roundrobin', 'range'] });
    s.add('C', 0, { protocols: ['roundrobin', 'range', 'sticky'] });
    s.settle();
    expect(s.joins().get('A')?.protocolName).toBe('roundrobin');
    expect(text(s.joins().get('A')?.members[0]?.metadata)).toBe('roundrobin:');
  });

  it('a follower rejoining Stable with the same metadata gets the current generation without a rebalance; changed metadata rebalances', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    s.send(joinEv('B'), 5000);
    expect(s.joins().get('B')).toMatchObject({ errorCode: 0, generationId: 1, members: [] });
    expect(s.g.phase).toBe('Stable');
    s.send(joinEv('B', { meta: 'new-topics' }), 6000);
    expect(s.joins().size).toBe(0);
    expect(s.g.phase).toBe('PreparingRebalance');
  });
});

describe('group decider: OffsetCommit admission', () => {
  const cases: [string, (s: GroupSim) => void, string, number, number][] = [
    ['Empty group, generation -1, no member (simple consumer / admin)', () => {}, '', -1, E.NONE],
    ['Stable, member of the current generation', (s) => s.stable(['A']), 'A', 1, E.NONE],
    ['Stable, generation -1 and no member', (s) => s.stable(['A']), '', -1, E.UNKNOWN_MEMBER_ID],
    ['Stable, old generation', (s) => s.stable(['A']), 'A', 0, E.ILLEGAL_GENERATION],
    ['Stable, unknown member', (s) => s.stable(['A']), 'Z', 1, E.UNKNOWN_MEMBER_ID],
    ['PreparingRebalance, member of the current generation (commit before rejoin)', (s) => { s.stable(['A']); s.add('B', 5000); }, 'A', 1, E.NONE],
    ['CompletingRebalance', (s) => { s.add('A', 0); s.send({ type: 'timer-fired' }, 3000); }, 'A', 1, E.REBALANCE_IN_PROGRESS],
  ];
  it.each(cases)('%s', (_name, setup, memberId, generationId, expected) => {
    const s = new GroupSim();
    setup(s);
    s.send({ type: 'commit-check', memberId, generationId }, 9000);
    expect(s.reply()).toBe(expected);
  });
});

describe('group decider: delete and shutdown', () => {
  it('only an Empty group can be deleted', () => {
    const s = new GroupSim();
    s.stable(['A']);
    s.send({ type: 'delete' }, 5000);
    expect(s.reply()).toBe(E.NON_EMPTY_GROUP);
    s.send({ type: 'leave', members: [{ memberId: 'A', groupInstanceId: null }] }, 5000);
    s.send({ type: 'delete' }, 5000);
    expect(s.reply()).toBe(E.NONE);
    expect(s.g.phase).toBe('Dead');
    s.send(joinEv('', { newMemberId: 'N' }), 5100);
    expect(s.joins().get('N')?.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });

  it('shutdown answers waiting joins and syncs with COORDINATOR_NOT_AVAILABLE', () => {
    const s = new GroupSim();
    s.add('A', 0);
    s.add('B', 0);
    s.send({ type: 'timer-fired' }, 3000);
    s.send(syncEv('B', 1), 3000);
    s.add('C', 3000);
    s.send({ type: 'shutdown' }, 3500);
    expect(s.joins().get('C')?.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });

  it('never mutates the input state', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    const before = s.g;
    const snapshot = JSON.stringify(before, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
    s.send({ type: 'leave', members: [{ memberId: 'A', groupInstanceId: null }] }, 5000);
    expect(JSON.stringify(before, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))).toBe(snapshot);
    expect(s.g).not.toBe(before);
  });
});
