// The commit floor's bookkeeping and the commit metadata codec (pure, no I/O).
import { describe, expect, it } from 'vitest';
import { OffsetHolds, encodeCommitMetadata, parseCommitMetadata, restoreMetadata } from '../../src/core/offset-holds.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);

describe('OffsetHolds', () => {
  it('worked example: the floor is the lowest offset of a window not yet published, per partition', () => {
    const h = new OffsetHolds();
    h.hold(T0, 0, 40);
    h.hold(T0, 0, 55);
    h.hold(T0 + MIN, 0, 75);
    h.hold(T0 + MIN, 1, 3);
    h.hold(T0, 0, 41); // a redelivered / later forecast does not raise the window's low
    expect([h.floor(0), h.floor(1), h.floor(2)]).toEqual([40, 3, null]);
    expect(h.publishedThrough).toBeUndefined();
    h.release(T0);
    expect([h.floor(0), h.floor(1)]).toEqual([75, 3]);
    expect(h.publishedThrough).toBe(T0);
    h.release(T0 + MIN);
    expect([h.floor(0), h.floor(1), h.heldWindows()]).toEqual([null, null, 0]);
    expect(h.publishedThrough).toBe(T0 + MIN);
  });

  it('a lower offset arriving later (a re-read) lowers the window\'s floor', () => {
    const h = new OffsetHolds();
    h.hold(T0, 0, 90);
    h.hold(T0, 0, 12);
    expect(h.floor(0)).toBe(12);
  });
});

describe('commit metadata', () => {
  it('round-trips publishedThrough; nothing published is no metadata', () => {
    expect(encodeCommitMetadata(undefined)).toBeNull();
    const m = encodeCommitMetadata(T0);
    expect(m).toBe(`aggregator/v1 publishedThrough=${T0}`);
    expect(parseCommitMetadata(m)).toEqual({ ok: true, publishedThrough: T0 });
  });

  it.each([
    [null, { ok: true, publishedThrough: undefined }],
    ['', { ok: true, publishedThrough: undefined }], // the broker's answer for "no metadata"
    ['someone-else', { ok: false, reason: 'commit metadata "someone-else" is not the aggregator\'s (expected "aggregator/v1 publishedThrough=<ms>")' }],
    ['aggregator/v1 publishedThrough=12.5', { ok: false, reason: 'commit metadata "aggregator/v1 publishedThrough=12.5": publishedThrough is not an integer of milliseconds' }],
    ['aggregator/v1 publishedThrough=', { ok: false, reason: 'commit metadata "aggregator/v1 publishedThrough=": publishedThrough is not an integer of milliseconds' }],
  ])('parse(%j)', (input, want) => {
    expect(parseCommitMetadata(input)).toEqual(want);
  });

  it('restore takes the newest window over the partitions, skipping empty ones and reporting foreign metadata', () => {
    const r = restoreMetadata([encodeCommitMetadata(T0), '', encodeCommitMetadata(T0 + 2 * MIN), 'junk', null]);
    expect(r.publishedThrough).toBe(T0 + 2 * MIN);
    expect(r.errors).toHaveLength(1);
    expect(restoreMetadata(['', null])).toEqual({ publishedThrough: undefined, errors: [] });
  });
});
