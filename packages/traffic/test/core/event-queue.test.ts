import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/core/event-queue.ts';
import { Rng } from '../../src/core/hash.ts';

describe('EventQueue', () => {
  it('pops by time, then seq', () => {
    const q = new EventQueue<number>();
    const rng = new Rng(42);
    const entries = Array.from({ length: 500 }, (_, seq) => ({ time: rng.int(0, 50), seq, item: seq }));
    for (const e of entries) q.push(e);
    const sorted = [...entries].sort((a, b) => a.time - b.time || a.seq - b.seq).map((e) => e.item);
    expect(q.drainBefore(25).map((e) => e.item)).toEqual(sorted.filter((i) => (entries[i]?.time ?? 99) < 25));
    const rest: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) rest.push(e.item);
    expect(rest).toEqual(sorted.filter((i) => (entries[i]?.time ?? -1) >= 25));
    expect(q.size).toBe(0);
  });
});
