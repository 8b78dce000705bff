import { describe, expect, it } from 'vitest';
import { fromRecord, toRecord } from '../../src/core/group-record.ts';
import { describeGroup } from '../../src/core/group-view.ts';
import { GroupSim, text } from './group-harness.ts';

describe('describeGroup', () => {
  it('unknown group: Dead with no members (kafkajs admin.setOffsets accepts Dead)', () => {
    expect(describeGroup('nope', undefined, false)).toEqual({ groupId: 'nope', state: 'Dead', protocolType: '', protocolData: '', members: [] });
  });

  it('group known only by committed offsets: Empty', () => {
    expect(describeGroup('offsets-only', undefined, true).state).toBe('Empty');
  });

  it('Stable group shows protocol, member metadata and assignment; a rebalancing one hides them', () => {
    const s = new GroupSim();
    const t = s.stable(['A', 'B']);
    const d = describeGroup('g', s.g, true);
    expect(d).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolData: 'RoundRobinAssigner' });
    expect(d.members.map((m) => [m.memberId, m.clientId, m.clientHost, text(m.assignment)])).toEqual([
      ['A', 'c', '/127.0.0.1', 'assign-A'], ['B', 'c', '/127.0.0.1', 'assign-B'],
    ]);
    expect(text(d.members[0]?.metadata)).toBe('RoundRobinAssigner:');
    s.add('C', t + 1);
    const r = describeGroup('g', s.g, true);
    expect(r.state).toBe('PreparingRebalance');
    expect(r.protocolData).toBe('');
    expect(r.members.every((m) => m.assignment.length === 0 && m.metadata.length === 0)).toBe(true);
  });
});

describe('group record (persisted metadata)', () => {
  it('round-trips through JSON; after a restart members are Stable with a fresh session', () => {
    const s = new GroupSim();
    s.stable(['A', 'B']);
    const json: unknown = JSON.parse(JSON.stringify(toRecord(s.g)));
    const g = fromRecord('g', json, 100_000);
    expect(g).toMatchObject({ phase: 'Stable', generationId: 1, leaderId: 'A', protocolName: 'RoundRobinAssigner', protocolType: 'consumer' });
    expect(g?.members.map((m) => [m.memberId, text(m.assignment), m.sessionDeadlineMs])).toEqual([
      ['A', 'assign-A', 130_000], ['B', 'assign-B', 130_000],
    ]);
    expect(text(g?.members[1]?.protocols[0]?.metadata)).toBe('RoundRobinAssigner:');
  });

  it('an Empty group restores as Empty, garbage as undefined', () => {
    expect(fromRecord('g', { v: 1, generationId: 4, protocolType: 'consumer', protocolName: null, leaderId: null, members: [] }, 0))
      .toMatchObject({ phase: 'Empty', generationId: 4, protocolType: 'consumer' });
    expect(fromRecord('g', { hello: 1 }, 0)).toBeUndefined();
    expect(fromRecord('g', null, 0)).toBeUndefined();
  });
});
