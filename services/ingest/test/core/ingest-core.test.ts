import { describe, expect, it } from 'vitest';
import { IngestCore, emptyOutput, indexOfOffset } from '../../src/core/ingest-core.ts';
import type { Decoded, IngestCoreOptions } from '../../src/core/ingest-core.ts';
import { DEFAULT_LIMITS, REPLAY_LIMITS } from '../../src/core/limits.ts';
import { Pseudonymizer, hmacUserKey } from '../../src/core/pseudonym.ts';
import { FeatureCache } from '../../src/core/feature-cache.ts';
import { T0, metrics, request } from '../fixtures.ts';
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';

const key = { id: 'k1', secret: Buffer.alloc(32, 9) };
const REQ = 'exec.request.received.v1';
const MET = 'exec.metrics.reported.v1';

function core(over: Partial<IngestCoreOptions> = {}): IngestCore {
  return new IngestCore({ limits: DEFAULT_LIMITS, referenceClock: 'wall', pairWindowMs: 300_000, maxPending: 1000, storeRawUserIds: false, pseudonymizer: new Pseudonymizer(key), features: new FeatureCache({}), ...over });
}
const r = (v: ExecutionRequest, offset: number): Decoded => ({ side: 'request', value: v, origin: { topic: REQ, partition: 0, offset } });
const m = (v: ExecutionMetrics, offset: number): Decoded => ({ side: 'metrics', value: v, origin: { topic: MET, partition: 0, offset } });

describe('IngestCore', () => {
  it('turns a request and its metrics into raw rows and one PAIRED normalized event keyed by the HMAC', () => {
    const c = core();
    const out = emptyOutput();
    c.process([r(request({ codeMetrics: { lines: 5, cyclomaticComplexity: 2, imports: 1, functions: 1 } }), 0)], T0 + 5000, out);
    c.process([m(metrics(), 0)], T0 + 5000, out);
    const userKey = hmacUserKey(key.secret, 'alice');
    expect(out.rawRequests).toHaveLength(1);
    expect(out.rawMetrics).toHaveLength(1);
    expect(out.rawRequests[0]).toMatchObject({ request_id: 'r1', user_key: userKey, code_cyclomatic: 2, source_bytes: null, event_time: T0 });
    expect(out.normalized).toHaveLength(1);
    const n = out.normalized[0]!;
    expect(n.key).toBe(userKey);
    expect(n.value).toMatchObject({ eventId: 'paired:r1', kind: 'PAIRED', userKey, sizeClass: 'S', tier: 'STANDARD', priority: 3, tags: { team: 'core' }, eventTime: T0, ingestedAt: T0 + 5000 });
    expect(n.value.metrics).toMatchObject({ durationMs: 1200, ioBytes: 1024, netBytes: 500, coldStart: true, gpuMs: null });
    expect(n.value.codeFeatures).toEqual({ lines: 5, cyclomaticComplexity: 2, imports: 1, derivedFromSource: false });
  });

  it('keeps raw user ids out of rows and events unless storeRawUserIds', () => {
    const out = emptyOutput();
    core({ pairWindowMs: 0 }).process([r(request({ userId: 'alice@example.com' }), 0)], T0, out);
    expect(JSON.stringify(out)).not.toContain('alice@example.com');
    const out2 = emptyOutput();
    core({ pairWindowMs: 0, storeRawUserIds: true }).process([r(request({ userId: 'alice@example.com' }), 0)], T0, out2);
    expect(out2.rawRequests[0]?.user_id).toBe('alice@example.com');
    expect(JSON.stringify(out2.normalized)).not.toContain('alice@example.com');
  });

  it('rejects invalid events with their reason code and lets the rest of the batch through', () => {
    const c = core({ pairWindowMs: 0 });
    const out = emptyOutput();
    c.process([r(request({ requestId: 'a' }), 0), r(request({ requestId: 'b', priority: 12 }), 1), m(metrics({ requestId: 'c', durationMs: -5 }), 2), r(request({ requestId: 'd' }), 3)], T0, out);
    expect(out.rejected.map((x) => [x.origin.offset, x.code])).toEqual([[1, 'PRIORITY_RANGE'], [2, 'RESOURCE_NEGATIVE']]);
    expect(out.normalized.map((n) => n.value.requestId)).toEqual(['a', 'd']);
    expect(c.rejectedByCode.get('PRIORITY_RANGE')).toBe(1);
  });

  it('in watermark mode judges events by the stream (a 2019 trace replayed today is not "late")', () => {
    const old = Date.UTC(2019, 6, 15);
    const batch = [0, 1, 2].map((i) => r(request({ requestId: `r${i}`, eventTime: old + i * 1000, producedAt: old + i * 1000 }), i));
    const wall = emptyOutput();
    core({ referenceClock: 'wall', pairWindowMs: 0 }).process(batch, T0, wall);
    expect(wall.rejected.map((x) => x.code)).toEqual(['EVENT_TIME_LATE', 'EVENT_TIME_LATE', 'EVENT_TIME_LATE']);
    const c = core({ referenceClock: 'watermark', limits: REPLAY_LIMITS, pairWindowMs: 0 });
    const wm = emptyOutput();
    c.process(batch, T0, wm);
    // A bogus year-2090 event after the stream has a reference is refused as from the future.
    c.process([r(request({ requestId: 'bogus', eventTime: Date.UTC(2090, 0, 1), producedAt: Date.UTC(2090, 0, 1) }), 3)], T0, wm);
    expect(wm.rejected.map((x) => x.code)).toEqual(['EVENT_TIME_FUTURE']);
    expect(wm.normalized).toHaveLength(3);
  });

  it('in watermark mode follows a batch that spans hours (each accepted event moves the reference)', () => {
    const old = Date.UTC(2019, 6, 15);
    const HOUR = 3_600_000;
    // 10 events 50 min apart: 7.5 h in one batch; the median is event 5, events 6-9 are > 1 h past it.
    const batch = Array.from({ length: 10 }, (_, i) => r(request({ requestId: `s${i}`, eventTime: old + i * 50 * 60_000, producedAt: old + i * 50 * 60_000 }), i));
    batch.splice(3, 0, r(request({ requestId: 'far', eventTime: old + 30 * HOUR, producedAt: old + 30 * HOUR }), 0));
    const inOrder = batch.map((d, i) => ({ ...d, origin: { ...d.origin, offset: i } })); // a fetched batch is in offset order
    const c = core({ referenceClock: 'watermark', limits: REPLAY_LIMITS, pairWindowMs: 0 });
    const out = emptyOutput();
    c.process(inOrder, T0, out);
    expect(out.rejected.map((x) => x.origin.offset)).toEqual([3]);
    expect(out.normalized).toHaveLength(10);
  });

  it('processBatch (flat values + offsets, as the service calls it) decides exactly like process()', () => {
    const old = Date.UTC(2019, 6, 15);
    const t = (i: number) => old + i * 50 * 60_000;
    const reqs = Array.from({ length: 10 }, (_, i) => request({ requestId: `s${i}`, eventTime: t(i), producedAt: t(i), priority: i === 4 ? 12 : 3 }));
    reqs.splice(3, 0, request({ requestId: 'far', eventTime: old + 30 * 3_600_000, producedAt: old + 30 * 3_600_000 }));
    const mets = reqs.map((q, i) => metrics({ requestId: q.requestId, finishedAt: q.eventTime + 2000, producedAt: q.eventTime + 2010, durationMs: i === 7 ? -5 : 1000 }));
    const offsets = reqs.map((_, i) => 40 + 2 * i);
    const a = core({ referenceClock: 'watermark', limits: REPLAY_LIMITS });
    const b = core({ referenceClock: 'watermark', limits: REPLAY_LIMITS });
    const outA = emptyOutput();
    const outB = emptyOutput();
    a.process(reqs.map((v, i) => r(v, offsets[i]!)), T0, outA);
    a.process(mets.map((v, i) => m(v, offsets[i]!)), T0, outA);
    b.processBatch({ side: 'request', topic: REQ, partition: 0, values: reqs, offsets }, T0, outB);
    b.processBatch({ side: 'metrics', topic: MET, partition: 0, values: mets, offsets }, T0, outB);
    expect(outB).toEqual(outA);
    expect(outB.rejected.map((x) => [x.origin.topic, x.origin.offset, x.code])).toEqual([[REQ, 46, 'EVENT_TIME_FUTURE'], [REQ, 50, 'PRIORITY_RANGE'], [MET, 46, 'EVENT_TIME_FUTURE'], [MET, 54, 'RESOURCE_NEGATIVE']]);
    expect(outB.normalized.map((n) => n.value.kind).join()).toBe('PAIRED,PAIRED,PAIRED,PAIRED,PAIRED,PAIRED,PAIRED,PAIRED,REQUEST,METRICS');
    expect(b.counts).toEqual(a.counts);
    expect(b.pairer.holdOffset(REQ, 0)).toBe(a.pairer.holdOffset(REQ, 0));
  });

  it('indexOfOffset finds an offset in an ascending list with gaps, or -1', () => {
    const offsets = [3, 4, 9, 10, 57];
    expect(offsets.map((o) => indexOfOffset(offsets, o))).toEqual([0, 1, 2, 3, 4]);
    expect([0, 5, 11, 58].map((o) => indexOfOffset(offsets, o))).toEqual([-1, -1, -1, -1]);
    expect(indexOfOffset([], 1)).toBe(-1);
  });
  it('skips a redelivered event (offset already processed by this core): no second row, pair or dead letter', () => {
    const c = core();
    const first = emptyOutput();
    c.process([r(request({ requestId: 'a' }), 10), r(request({ requestId: 'b', priority: 12 }), 11)], T0 + 5000, first);
    c.process([m(metrics({ requestId: 'a' }), 20)], T0 + 5000, first);
    expect(first.normalized).toHaveLength(1);
    expect(first.rejected).toHaveLength(1);
    const again = emptyOutput();
    // a consumer rejoin re-reads both partitions from older offsets
    c.process([r(request({ requestId: 'a' }), 10), r(request({ requestId: 'b', priority: 12 }), 11), r(request({ requestId: 'c' }), 12)], T0 + 5000, again);
    c.process([m(metrics({ requestId: 'a' }), 20), m(metrics({ requestId: 'c' }), 21)], T0 + 5000, again);
    expect(again.rawRequests.map((x) => x.request_id)).toEqual(['c']);
    expect(again.rawMetrics.map((x) => x.request_id)).toEqual(['c']);
    expect(again.rejected).toHaveLength(0);
    expect(again.normalized.map((n) => n.value.eventId)).toEqual(['paired:c']);
    expect(c.counts.redelivered).toBe(3);
  });

  it('a request paired long ago and redelivered does not wait again for metrics that will not come (its done entry is forgotten past maxDone)', () => {
    const c = core();
    const out = emptyOutput();
    c.process([r(request({ requestId: 'old' }), 0)], T0 + 5000, out);
    c.process([m(metrics({ requestId: 'old' }), 0)], T0 + 5000, out);
    // more than maxDone (10,000) other pairs: the pairer forgets 'old'
    const n = 10_050;
    c.process(Array.from({ length: n }, (_, i) => r(request({ requestId: `x${i}` }), i + 1)), T0 + 5000, out);
    c.process(Array.from({ length: n }, (_, i) => m(metrics({ requestId: `x${i}` }), i + 1)), T0 + 5000, out);
    expect(c.pairer.size).toBe(0);
    c.process([r(request({ requestId: 'old' }), 0)], T0 + 5000, emptyOutput());
    expect(c.pairer.size).toBe(0);
    expect(c.pairer.holdOffset(REQ, 0)).toBeNull();
  });
});
