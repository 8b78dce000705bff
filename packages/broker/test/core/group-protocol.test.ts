import { describe, expect, it } from 'vitest';
import { candidateProtocols, selectProtocol, supportsProtocols } from '../../src/core/group-protocol.ts';
import type { Member } from '../../src/core/group-types.ts';

const member = (id: string, protocols: string[]): Member => ({
  memberId: id, groupInstanceId: null, clientId: 'c', clientHost: '/h', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000,
  protocolType: 'consumer', protocols: protocols.map((name) => ({ name, metadata: new Uint8Array([1]) })),
  assignment: new Uint8Array(0), awaitingJoin: false, awaitingSync: false, sessionDeadlineMs: 0,
});
const offer = (names: string[]) => names.map((name) => ({ name, metadata: new Uint8Array(0) }));

describe('group protocol selection', () => {
  it.each([
    [[['range', 'roundrobin']], 'range'],
    [[['range', 'roundrobin'], ['roundrobin']], 'roundrobin'],
    [[['a', 'b'], ['b', 'a'], ['b', 'a']], 'b'], // 2 votes for b
    [[['a', 'b'], ['b', 'a']], 'a'], // tie: the first member's preference
    [[['a'], ['b']], null],
  ] as [string[][], string | null][])('members %j select %s', (offers, expected) => {
    expect(selectProtocol(offers.map((p, i) => member(`m${i}`, p)))).toBe(expected);
  });

  it('candidates keep the first member\'s order', () => {
    expect(candidateProtocols([member('a', ['x', 'y', 'z']), member('b', ['z', 'y'])])).toEqual(['y', 'z']);
  });

  it.each([
    ['empty group accepts any non-empty offer', [], 'consumer', ['RoundRobinAssigner'], true],
    ['empty group rejects an empty protocol type', [], '', ['range'], false],
    ['empty group rejects an empty protocol list', [], 'consumer', [], false],
    ['librdkafka offer into a kafkajs group', [['RoundRobinAssigner']], 'consumer', ['range', 'roundrobin'], false],
    ['one common protocol is enough', [['range', 'roundrobin']], 'consumer', ['roundrobin'], true],
    ['protocol type must match', [['range']], 'connect', ['range'], false],
  ] as [string, string[][], string, string[], boolean][])('%s', (_name, existing, type, offered, expected) => {
    expect(supportsProtocols(existing.map((p, i) => member(`m${i}`, p)), 'consumer', type, offer(offered))).toBe(expected);
  });
});
