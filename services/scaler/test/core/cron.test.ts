import { describe, expect, it } from 'vitest';
import { parseCron, windowActive } from '../../src/core/cron.ts';

const at = (d: number, h: number, m: number): number => Date.UTC(2026, 10, d, h, m); // 23 Nov 2026 = Monday

describe('cron windows', () => {
  it.each([
    ['0 9 * * 1-5', 8 * 3_600_000, at(23, 9, 0), true],
    ['0 9 * * 1-5', 8 * 3_600_000, at(23, 16, 59), true],
    ['0 9 * * 1-5', 8 * 3_600_000, at(23, 17, 0), false],
    ['0 9 * * 1-5', 8 * 3_600_000, at(28, 12, 0), false], // Saturday
    ['0 22 * * 0', 4 * 3_600_000, at(23, 1, 30), true], // Sunday 22:00 runs into Monday
    ['*/15 * * * *', 60_000, at(23, 10, 30), true],
    ['*/15 * * * *', 60_000, at(23, 10, 31), false],
    ['0 0 1 * *', 86_400_000, at(23, 12, 0), false],
    ['30 8,12 * * *', 30 * 60_000, at(23, 12, 45), true],
  ] as const)('%s for %i ms at %i -> %s', (expr, dur, now, expected) => {
    const c = parseCron(expr);
    if (typeof c === 'string') throw new Error(c);
    expect(windowActive(c, dur, now)).toBe(expected);
  });

  it.each(['* * * *', '61 * * * *', 'a * * * *', '5-1 * * * *'])('rejects %s', (expr) => {
    expect(typeof parseCron(expr)).toBe('string');
  });
});
