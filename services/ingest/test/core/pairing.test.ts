import { describe, expect, it } from 'vitest';
import { Pairer } from '../../src/core/pairing.ts';
import type { PairInput, PairOutput } from '../../src/core/pairing.ts';
import { DEFAULT_LIMITS } from '../../src/core/limits.ts';
import { T0, metrics, request } from '../fixtures.ts';

const REQ = 'exec.request.received.v1';
const MET = 'exec.metrics.reported.v1';
const MIN = 60_000;

function req(id: string, t: number, offset: number, partition = 0): PairInput {
  return { side: 'request', value: request({ requestId: id, eventTime: t, producedAt: t }), userKey: 'k', features: null, origin: { topic: REQ, partition, offset } };
}
function met(id: string, t: number, offset: number, partition = 0): PairInput {
  return { side: 'metrics', value: metrics({ requestId: id, finishedAt: t, producedAt: t }), userKey: 'k', origin: { topic: MET, partition, offset } };
}
function kinds(out: PairOutput[]): string[] {
  return out.map((o) => (o.kind === 'PAIRED' ? `PAIRED ${o.request.value.requestId}` : o.kind === 'REQUEST' ? `REQUEST ${o.request.value.requestId} ${o.cause}` : o.kind === 'METRICS' ? `METRICS ${o.metrics.value.requestId} ${o.cause}` : o.kind === 'DUPLICATE' ? `DUPLICATE ${o.input.value.requestId}` : `REJECTED ${o.code}`));
}
const pairer = (over: Partial<ConstructorParameters<typeof Pairer>[0]> = {}): Pairer => new Pairer({ windowMs: 5 * MIN, maxPending: 100, maxDone: 100, limits: DEFAULT_LIMITS, ...over });

describe('Pairer', () => {
  it('pairs a request with its metrics in either order', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(met('b', T0 + 1000, 0), out);
    expect(out).toEqual([]);
    p.offer(met('a', T0 + 2000, 1), out);
    p.offer(req('b', T0 + 500, 1), out);
    expect(kinds(out)).toEqual(['PAIRED a', 'PAIRED b']);
    expect(p.size).toBe(0);
  });

  it('expires a lone request only when both sides of its partition passed eventTime + window (event time, not wall time)', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(req('z', T0 + 10 * MIN, 1), out); // requests far ahead...
    p.expire(out);
    expect(out).toEqual([]); // ...but metrics have not been seen on partition 0: watermark -Infinity
    p.offer(met('m', T0 + 4 * MIN, 0), out);
    p.expire(out);
    expect(out).toEqual([]); // watermark T0+4min < T0+5min
    p.offer(met('n', T0 + 5 * MIN, 1), out);
    p.expire(out);
    expect(kinds(out)).toEqual(['REQUEST a expired']);
  });

  it('keeps watermarks per partition: a lagging partition does not expire what another partition passed', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0, 1), out);
    p.offer(req('x', T0, 0, 0), out);
    p.offer(req('x2', T0 + 20 * MIN, 1, 0), out);
    p.offer(met('y2', T0 + 20 * MIN, 0, 0), out);
    p.expire(out);
    expect(kinds(out)).toEqual(['REQUEST x expired']);
    expect(p.watermark(0)).toBe(T0 + 20 * MIN);
    expect(p.watermark(1)).toBe(-Infinity);
    expect(p.size).toBe(3); // a (partition 1), x2 and y2 (within the window)
  });

  it('holds the offset of the oldest pending event per topic-partition', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 7), out);
    p.offer(req('b', T0, 8), out);
    expect(p.holdOffset(REQ, 0)).toBe(7);
    p.offer(met('a', T0 + 1, 3), out);
    expect(p.holdOffset(REQ, 0)).toBe(8);
    expect(p.holdOffset(MET, 0)).toBeNull();
  });

  it('keeps holds apart per topic and per partition number (sparse partitions included)', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 40, 5), out);
    p.offer(met('b', T0, 12, 5), out);
    p.offer(req('c', T0, 3, 0), out);
    expect([p.holdOffset(REQ, 5), p.holdOffset(MET, 5), p.holdOffset(REQ, 0), p.holdOffset(MET, 0), p.holdOffset(REQ, 2), p.holdOffset('other', 5)]).toEqual([40, 12, 3, null, null, null]);
    p.offer(met('a', T0 + 1, 13, 5), out);
    p.offer(req('b', T0 + 1, 41, 5), out);
    expect(kinds(out)).toEqual(['PAIRED a', 'PAIRED b']);
    expect([p.holdOffset(REQ, 5), p.holdOffset(MET, 5), p.holdOffset(REQ, 0)]).toEqual([null, null, 3]);
  });

  it('evicts the oldest arrival when maxPending is exceeded', () => {
    const p = pairer({ maxPending: 2 });
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(req('b', T0, 1), out);
    p.offer(met('c', T0, 0), out);
    expect(kinds(out)).toEqual(['REQUEST a evicted']);
    expect(p.size).toBe(2);
    expect(p.counts.evicted).toBe(1);
  });

  it('drops duplicates of a pending side and of an emitted side', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(req('a', T0, 1), out);
    p.offer(met('a', T0 + 1, 0), out);
    p.offer(met('a', T0 + 1, 1), out);
    p.offer(req('a', T0, 2), out);
    expect(kinds(out)).toEqual(['DUPLICATE a', 'PAIRED a', 'DUPLICATE a', 'DUPLICATE a']);
  });

  it('emits the other side alone (late) when its partner was already emitted alone', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(met('w', T0 + 6 * MIN, 0), out);
    p.offer(req('w2', T0 + 6 * MIN, 1), out);
    p.expire(out);
    p.offer(met('a', T0 + 6 * MIN, 1), out);
    expect(kinds(out)).toEqual(['REQUEST a expired', 'METRICS a late']);
  });

  it('rejects metrics whose user differs from the pending request and keeps the request', () => {
    const p = pairer();
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    const bad: PairInput = { side: 'metrics', value: metrics({ requestId: 'a', userId: 'mallory' }), userKey: 'k2', origin: { topic: MET, partition: 0, offset: 0 } };
    p.offer(bad, out);
    expect(kinds(out)).toEqual(['REJECTED USER_MISMATCH']);
    expect(p.size).toBe(1);
  });

  it('emits everything at once with windowMs 0 (requests-only deployments)', () => {
    const p = pairer({ windowMs: 0 });
    const out: PairOutput[] = [];
    p.offer(req('a', T0, 0), out);
    p.offer(met('a', T0, 0), out);
    expect(kinds(out)).toEqual(['REQUEST a unpaired', 'METRICS a late']);
    expect(p.size).toBe(0);
  });
});
