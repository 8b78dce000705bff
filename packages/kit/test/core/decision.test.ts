import { describe, expect, it } from 'vitest';
import { backoffMs, decide } from '../../src/core/decision.ts';
import type { AttemptOutcome, RetryPolicy } from '../../src/core/decision.ts';

const policy: RetryPolicy = { maxAttempts: 4, baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
const transient: AttemptOutcome = { kind: 'failed', code: 'HANDLER_TRANSIENT', retriable: true, text: 'sink timeout' };
const fatal: AttemptOutcome = { kind: 'failed', code: 'HANDLER_FAILED', retriable: false, text: 'TypeError: x' };
const poison: AttemptOutcome = { kind: 'undecodable', code: 'DECODE_FAILED', text: 'first byte 123' };
const unknownId: AttemptOutcome = { kind: 'undecodable', code: 'UNKNOWN_SCHEMA_ID', text: 'id 999' };

describe('decide', () => {
  it.each([
    ['ok, first attempt', { kind: 'ok' } as AttemptOutcome, 1, { kind: 'ack' }],
    ['ok after retries', { kind: 'ok' } as AttemptOutcome, 4, { kind: 'ack' }],
    ['poison bytes: never retried', poison, 1, { kind: 'deadletter', code: 'DECODE_FAILED', text: 'first byte 123', attempts: 1 }],
    ['unknown schema id: never retried', unknownId, 1, { kind: 'deadletter', code: 'UNKNOWN_SCHEMA_ID', text: 'id 999', attempts: 1 }],
    ['non-retriable handler error', fatal, 1, { kind: 'deadletter', code: 'HANDLER_FAILED', text: 'TypeError: x', attempts: 1 }],
    ['transient, attempt 1 -> wait 100 ms', transient, 1, { kind: 'retry', delayMs: 100, nextAttempt: 2 }],
    ['transient, attempt 2 -> wait 200 ms', transient, 2, { kind: 'retry', delayMs: 200, nextAttempt: 3 }],
    ['transient, attempt 3 -> wait 400 ms', transient, 3, { kind: 'retry', delayMs: 400, nextAttempt: 4 }],
    ['transient, attempt 4 = max -> dead-letter', transient, 4, { kind: 'deadletter', code: 'RETRIES_EXHAUSTED', text: 'HANDLER_TRANSIENT after 4 attempts: sink timeout', attempts: 4 }],
    ['circuit open, attempt 4 = max: still retried, never dead-lettered', { kind: 'failed', code: 'CIRCUIT_OPEN', retriable: true, text: 'clickhouse: circuit open' } as AttemptOutcome, 4, { kind: 'retry', delayMs: 800, nextAttempt: 5 }],
    ['registry down, attempt 30: retried at the cap', { kind: 'failed', code: 'REGISTRY_UNAVAILABLE', retriable: true, text: 'ECONNREFUSED' } as AttemptOutcome, 30, { kind: 'retry', delayMs: 1000, nextAttempt: 31 }],
    ['circuit open but flagged not retriable: dead-letter', { kind: 'failed', code: 'CIRCUIT_OPEN', retriable: false, text: 'x' } as AttemptOutcome, 1, { kind: 'deadletter', code: 'CIRCUIT_OPEN', text: 'x', attempts: 1 }],
  ])('%s', (_label, outcome, attempt, expected) => {
    expect(decide(outcome, attempt, policy, 0)).toEqual(expected);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 0, 100], [2, 0, 200], [4, 0, 800],
    [5, 0, 1000], // 1600 capped at maxMs 1000
    [20, 0, 1000],
    [1, 0.999, 50], // jitter 0.5 takes up to half off
    [3, 0.5, 300], // 400 * (1 - 0.25)
  ])('attempt %i, random %f -> %i ms', (attempt, random, expected) => {
    expect(backoffMs(policy, attempt, random)).toBe(expected);
  });
});
