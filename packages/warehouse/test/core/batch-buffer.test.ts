import { describe, expect, it } from 'vitest';
import { BatchBuffer } from '../../src/index.ts';

describe('BatchBuffer', () => {
  const policy = { maxRows: 10, maxDelayMs: 1000 };

  it('is not due while empty and has no due time', () => {
    const b = new BatchBuffer<number, string>(policy);
    expect(b.due(0)).toBeUndefined();
    expect(b.dueAt()).toBeUndefined();
  });

  it('flushes by time from the oldest pending row: 4 rows at t=0 and 6 at t=300 are due at t=1000', () => {
    const b = new BatchBuffer<number, string>({ maxRows: 100, maxDelayMs: 1000 });
    b.add([1, 2, 3, 4], 'a', 0);
    b.add([5, 6, 7, 8, 9, 10], 'b', 300);
    expect(b.dueAt()).toBe(1000);
    expect(b.due(999)).toBeUndefined();
    expect(b.due(1000)).toBe('time');
    expect(b.take()).toEqual({ rows: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], waiters: ['a', 'b'] });
    expect(b.pendingRows).toBe(0);
    expect(b.due(5000)).toBeUndefined();
  });

  it('flushes by size as soon as maxRows are pending, even one big write', () => {
    const b = new BatchBuffer<number, string>(policy);
    b.add([1, 2, 3, 4, 5, 6, 7, 8, 9], 'a', 0);
    expect(b.due(0)).toBeUndefined();
    b.add([10], 'b', 1);
    expect(b.due(1)).toBe('size');
    b.take();
    b.add(Array.from({ length: 25 }, (_, i) => i), 'c', 2);
    expect(b.due(2)).toBe('size');
    expect(b.take().rows).toHaveLength(25);
  });

  it('restarts the clock after a take: the next write waits its own maxDelayMs', () => {
    const b = new BatchBuffer<number, string>(policy);
    b.add([1], 'a', 0);
    b.take();
    b.add([2], 'b', 5000);
    expect(b.dueAt()).toBe(6000);
    expect(b.due(5999)).toBeUndefined();
  });

  it('a zero delay makes every write due at once', () => {
    const b = new BatchBuffer<number, string>({ maxRows: 10, maxDelayMs: 0 });
    b.add([1], 'a', 7);
    expect(b.due(7)).toBe('time');
  });

  it.each([[{ maxRows: 0, maxDelayMs: 1 }], [{ maxRows: 1.5, maxDelayMs: 1 }], [{ maxRows: 1, maxDelayMs: -1 }]])('rejects the policy %j', (p) => {
    expect(() => new BatchBuffer(p)).toThrow(RangeError);
  });
});
