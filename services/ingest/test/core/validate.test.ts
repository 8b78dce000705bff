import { describe, expect, it } from 'vitest';
import { validateMetrics, validatePair, validateRequest } from '../../src/core/validate.ts';
import { DEFAULT_LIMITS } from '../../src/core/limits.ts';
import type { ReasonCode } from '../../src/core/reasons.ts';
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';
import { T0, metrics, request } from '../fixtures.ts';

const L = DEFAULT_LIMITS;
const long = (n: number): string => 'x'.repeat(n);

describe('validateRequest', () => {
  it('accepts a well-formed request, checked against the wall clock', () => {
    expect(validateRequest(request(), T0 + 1000, L)).toEqual({ ok: true, value: request() });
  });
  it('accepts UNKNOWN size class and tier and OTHER language (the schema defaults a newer producer resolves to)', () => {
    expect(validateRequest(request({ sizeClass: 'UNKNOWN', tier: 'UNKNOWN', language: 'OTHER' }), T0, L).ok).toBe(true);
  });
  it('skips the reference-clock check when the reference is null', () => {
    expect(validateRequest(request({ eventTime: T0 + 3_600_000, producedAt: T0 + 3_600_000 }), null, L).ok).toBe(true);
  });

  const cases: [string, Partial<ExecutionRequest>, number | null, ReasonCode][] = [
    ['event 6 min ahead of the clock', { eventTime: T0 + 360_000, producedAt: T0 + 360_000 }, T0, 'EVENT_TIME_FUTURE'],
    ['event 8 days behind the clock', { eventTime: T0 - 8 * 86_400_000, producedAt: T0 - 8 * 86_400_000 }, T0, 'EVENT_TIME_LATE'],
    ['produced 6 min before the event', { producedAt: T0 - 360_000 }, T0, 'PRODUCED_BEFORE_EVENT'],
    ['produced 25 h after the event', { producedAt: T0 + 25 * 3_600_000 }, null, 'PRODUCED_TOO_LATE'],
    ['eventTime in seconds, not ms', { eventTime: Math.floor(T0 / 1000) }, null, 'TIMESTAMP_INVALID'],
    ['fractional eventTime', { eventTime: T0 + 0.5 }, null, 'TIMESTAMP_INVALID'],
    ['empty requestId', { requestId: '' }, T0, 'ID_INVALID'],
    ['userId of 257 chars', { userId: long(257) }, T0, 'ID_INVALID'],
    ['empty applicationId', { applicationId: '' }, T0, 'ID_INVALID'],
    ['unknown size class', { sizeClass: 'XXL' as ExecutionRequest['sizeClass'] }, T0, 'ENUM_UNKNOWN'],
    ['unknown language', { language: 'COBOL' as ExecutionRequest['language'] }, T0, 'ENUM_UNKNOWN'],
    ['unknown tier', { tier: 'GOLD' as ExecutionRequest['tier'] }, T0, 'ENUM_UNKNOWN'],
    ['priority 10', { priority: 10 }, T0, 'PRIORITY_RANGE'],
    ['priority -1', { priority: -1 }, T0, 'PRIORITY_RANGE'],
    ['source over the limit', { sourceText: long(L.maxSourceChars + 1) }, T0, 'SOURCE_TOO_LARGE'],
    ['33 tags', { tags: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) }, T0, 'TAGS_TOO_MANY'],
    ['empty tag key', { tags: { '': 'v' } }, T0, 'TAG_INVALID'],
    ['tag value of 257 chars', { tags: { k: long(257) } }, T0, 'TAG_INVALID'],
    ['negative codeMetrics', { codeMetrics: { lines: -1, cyclomaticComplexity: 1, imports: 0, functions: 0 } }, T0, 'CODE_METRICS_INVALID'],
    ['fractional codeMetrics.functions', { codeMetrics: { lines: 1, cyclomaticComplexity: 1, imports: 0, functions: 1.5 } }, T0, 'CODE_METRICS_INVALID'],
  ];
  it.each(cases)('refuses %s', (_name, over, ref, code) => {
    const r = validateRequest(request(over), ref, L);
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.code).toBe(code); expect(r.reason.length).toBeGreaterThan(0); }
  });
  it('allows exactly the limits (256-char ids, 32 tags, priority 0 and 9, 5 min ahead)', () => {
    expect(validateRequest(request({ userId: long(256), priority: 9 }), T0, L).ok).toBe(true);
    expect(validateRequest(request({ priority: 0, tags: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v'])) }), T0, L).ok).toBe(true);
    expect(validateRequest(request({ eventTime: T0 + 300_000, producedAt: T0 + 300_000 }), T0, L).ok).toBe(true);
  });
});

describe('validateMetrics', () => {
  it('accepts well-formed metrics', () => {
    expect(validateMetrics(metrics(), T0, L).ok).toBe(true);
    expect(validateMetrics(metrics({ gpuMs: 5, start: 'UNKNOWN', durationMs: 0 }), T0, L).ok).toBe(true);
  });
  const cases: [string, Partial<ExecutionMetrics>, ReasonCode][] = [
    ['negative duration', { durationMs: -1 }, 'RESOURCE_NEGATIVE'],
    ['negative memory', { memoryPeakMb: -0.5 }, 'RESOURCE_NEGATIVE'],
    ['negative net bytes', { netOutBytes: -3 }, 'RESOURCE_NEGATIVE'],
    ['negative gpu', { gpuMs: -1 }, 'RESOURCE_NEGATIVE'],
    ['NaN cores', { cpuCores: Number.NaN }, 'RESOURCE_NOT_FINITE'],
    ['infinite latency', { startLatencyMs: Number.POSITIVE_INFINITY }, 'RESOURCE_NOT_FINITE'],
    ['a duration over a day', { durationMs: 86_400_001 }, 'RESOURCE_TOO_LARGE'],
    ['unknown start kind', { start: 'TEPID' as ExecutionMetrics['start'] }, 'ENUM_UNKNOWN'],
    ['finishedAt far ahead', { finishedAt: T0 + 3_600_000, producedAt: T0 + 3_600_000 }, 'EVENT_TIME_FUTURE'],
    ['empty functionId', { functionId: '' }, 'ID_INVALID'],
  ];
  it.each(cases)('refuses %s', (_name, over, code) => {
    const r = validateMetrics(metrics(over), T0, L);
    expect(r.ok ? 'ok' : r.code).toBe(code);
  });
});

describe('validatePair', () => {
  it('accepts metrics finishing after the request', () => {
    expect(validatePair(request(), metrics(), L).ok).toBe(true);
  });
  it('refuses a different user or function under the same requestId', () => {
    const r = validatePair(request(), metrics({ userId: 'mallory' }), L);
    expect(r.ok ? 'ok' : r.code).toBe('USER_MISMATCH');
    expect((v => v.ok ? 'ok' : v.code)(validatePair(request(), metrics({ functionId: 'f2' }), L))).toBe('USER_MISMATCH');
  });
  it('refuses metrics that finished more than the skew before the request', () => {
    const r = validatePair(request(), metrics({ finishedAt: T0 - 300_001 }), L);
    expect(r.ok ? 'ok' : r.code).toBe('FINISHED_BEFORE_REQUEST');
  });
});
