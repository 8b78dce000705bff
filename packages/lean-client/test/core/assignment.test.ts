import { describe, expect, it } from 'vitest';
import { CO_PARTITIONED_PROTOCOL, coPartition, coPartitionedAssigner } from '../../src/index.ts';

describe('coPartition', () => {
  it('gives partition p of every topic to sorted member p mod n', () => {
    expect(Object.fromEntries(coPartition(['m-b', 'm-a', 'm-c'], { req: [0, 1, 2, 3, 4], met: [0, 1, 2, 3, 4] }))).toEqual({
      'm-a': { req: [0, 3], met: [0, 3] },
      'm-b': { req: [1, 4], met: [1, 4] },
      'm-c': { req: [2], met: [2] },
    });
    expect(coPartition([], { a: [0] }).size).toBe(0);
  });
});

describe('coPartitionedAssigner', () => {
  it('keeps the protocol name kafkajs members use', () => {
    expect(coPartitionedAssigner.name).toBe('WarmcastCoPartitioned');
    expect(CO_PARTITIONED_PROTOCOL).toBe('WarmcastCoPartitioned');
  });
  it('assigns a topic only among its subscribers and lists members without partitions', () => {
    const plan = coPartitionedAssigner.assign(
      [{ memberId: 'a', topics: ['t', 'u'] }, { memberId: 'b', topics: ['t'] }, { memberId: 'c', topics: ['t'] }],
      { t: [0, 1], u: [0, 1] },
    );
    expect(Object.fromEntries(plan)).toEqual({ a: { t: [0], u: [0, 1] }, b: { t: [1] }, c: {} });
  });
});
