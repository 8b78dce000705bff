// What to do with one message after an attempt: the consumer shell asks, this decides.
//
//   outcome                      attempt < max        attempt >= max
//   ok                           ack                  ack
//   decode failed / bad schema   dead-letter          dead-letter        (bytes never change)
//   handler error, retriable     retry after backoff  dead-letter RETRIES_EXHAUSTED
//   handler error, not retriable dead-letter          dead-letter
//   dependency unavailable       retry after backoff  retry after backoff (capped at maxMs)
//
// "Dependency unavailable" (CIRCUIT_OPEN, REGISTRY_UNAVAILABLE) is not the message's fault:
// with 5 attempts a 2-minute ClickHouse outage would otherwise dead-letter every message
// that arrives in it. The partition waits instead, and close() interrupts the wait.
//
// With base 100 ms, factor 2, cap 30 s: attempt 1 fails -> wait 100 ms, 2 -> 200, 3 -> 400, ...
// Jitter is an argument (0..1) so the table tests are exact.
import type { ErrorCode } from '../errors.ts';

/** Codes that mean a dependency is down: retried without limit, never dead-lettered. */
export const UNAVAILABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CIRCUIT_OPEN', 'REGISTRY_UNAVAILABLE']);

export type AttemptOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'undecodable'; readonly code: 'DECODE_FAILED' | 'UNKNOWN_SCHEMA_ID' | 'VALIDATION_FAILED'; readonly text: string }
  | { readonly kind: 'failed'; readonly code: ErrorCode; readonly retriable: boolean; readonly text: string };

export type Decision =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly nextAttempt: number }
  | { readonly kind: 'deadletter'; readonly code: ErrorCode; readonly text: string; readonly attempts: number };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Share of the delay that is random: 0.2 = the delay varies by up to -20 %. */
  readonly jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 100, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** pre: attempt >= 1 (the attempt that just failed); 0 <= random < 1. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: number): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (attempt - 1));
  return Math.round(raw * (1 - policy.jitter * random));
}

/** pre: attempt >= 1 is the attempt whose outcome is given. */
export function decide(outcome: AttemptOutcome, attempt: number, policy: RetryPolicy, random: number): Decision {
  switch (outcome.kind) {
    case 'ok':
      return { kind: 'ack' };
    case 'undecodable':
      return { kind: 'deadletter', code: outcome.code, text: outcome.text, attempts: attempt };
    case 'failed':
      if (!outcome.retriable) return { kind: 'deadletter', code: outcome.code, text: outcome.text, attempts: attempt };
      if (UNAVAILABLE_CODES.has(outcome.code)) return { kind: 'retry', delayMs: backoffMs(policy, attempt, random), nextAttempt: attempt + 1 };
      if (attempt >= policy.maxAttempts) {
        return { kind: 'deadletter', code: 'RETRIES_EXHAUSTED', text: `${outcome.code} after ${attempt} attempts: ${outcome.text}`, attempts: attempt };
      }
      return { kind: 'retry', delayMs: backoffMs(policy, attempt, random), nextAttempt: attempt + 1 };
  }
}
