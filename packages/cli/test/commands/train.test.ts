// The trainer shell's pure parts: roll-up rows -> per-user series (instances by DESIGN.md's
// replay model), and the minute flags. The warehouse -> topic path is tested end to end in
// services/profiler/test/integration/trainer.test.ts.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { effectiveFrom, minuteFlag, seriesFromRollups } from '../../src/commands/train.ts';

describe('seriesFromRollups', () => {
  it('groups by user (sorted keys), sorts minutes, derives r = max(1, ceil(n d / 60)); a minute without metrics uses the user mean', () => {
    const { keys, series } = seriesFromRollups([
      { user_key: 'b', m: 12, n: 3, e: 3, dur: 150_000 }, // d = 50 s: ceil(150 / 60) = 3
      { user_key: 'a', m: 11, n: 1, e: 1, dur: 200 }, // 0.2 s: 1
      { user_key: 'b', m: 10, n: 2, e: 0, dur: 0 }, // no metrics: b's mean 50 s -> ceil(100 / 60) = 2
      { user_key: 'b', m: 11, n: 0, e: 1, dur: 10 }, // metrics only (the execution finished a minute later): no requests, not a series minute
    ]);
    expect(keys).toEqual(['a', 'b']);
    expect(series).toEqual([
      { minutes: [11], counts: [1], instances: [1] },
      { minutes: [10, 12], counts: [2, 3], instances: [2, 3] },
    ]);
  });

  it('a user without any metrics: d = 0.001 s, one instance per busy minute', () => {
    expect(seriesFromRollups([{ user_key: 'c', m: 5, n: 40, e: 0, dur: 0 }]).series).toEqual([{ minutes: [5], counts: [40], instances: [1] }]);
  });
});

describe('minute flags', () => {
  it.each([
    ['29463839', 29_463_839],
    ['2026-01-05T00:00:59Z', Date.UTC(2026, 0, 5) / 60_000],
  ])('minuteFlag(%s)', (v, want) => {
    expect(minuteFlag(v)).toBe(want);
  });
  it('names what is allowed', () => {
    expect(() => minuteFlag('yesterday')).toThrow(/"yesterday" must be an epoch minute .* or an ISO 8601 time/);
  });
  it.each([
    [undefined, 101],
    ['+30', 130],
    ['105', 105],
  ])('effectiveFrom(%s) after through 100', (v, want) => {
    expect(effectiveFrom(v, 100)).toBe(want);
  });
  it('refuses an effective minute inside the training window', () => {
    expect(() => effectiveFrom('100', 100)).toThrow(InvalidArgumentError);
    expect(() => effectiveFrom('100', 100)).toThrow(/must be after --through \(minute 100\)/);
  });
});
