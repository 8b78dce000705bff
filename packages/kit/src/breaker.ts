// Circuit breakers (opossum 9) around external calls: registry, ClickHouse, hypervisor APIs.
// Defaults: trip at 50 % failures over a 10 s window once 5 calls were made, try again
// after 5 s, time out a call after 3 s. Errors that are the caller's fault (not retriable,
// e.g. a 409 incompatible schema) do not count towards tripping.
import CircuitBreaker from 'opossum';
import { WarmcastError, isRetriable, errorMessage } from './errors.ts';

function isClientHttpError(err: unknown): boolean {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Runs any async call through one breaker (e.g. every registry request of a process). */
export type Guard = <T>(call: () => Promise<T>) => Promise<T>;

export function guardWith(breaker: Breaker<[() => Promise<unknown>], unknown>): Guard {
  return <T>(call: () => Promise<T>) => breaker.call(call) as Promise<T>;
}

export interface BreakerOptions {
  readonly timeoutMs?: number;
  readonly errorThresholdPercentage?: number;
  readonly resetTimeoutMs?: number;
  readonly volumeThreshold?: number;
  readonly rollingCountTimeoutMs?: number;
}

export interface Breaker<A extends unknown[], R> {
  readonly name: string;
  call(...args: A): Promise<R>;
  readonly opened: () => boolean;
  shutdown(): void;
}

export function createBreaker<A extends unknown[], R>(name: string, action: (...args: A) => Promise<R>, options: BreakerOptions = {}): Breaker<A, R> {
  const breaker = new CircuitBreaker<A, R>(action, {
    name,
    timeout: options.timeoutMs ?? 3000,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 5000,
    volumeThreshold: options.volumeThreshold ?? 5,
    rollingCountTimeout: options.rollingCountTimeoutMs ?? 10_000,
    // A caller error says nothing about the dependency's health: a non-retriable
    // WarmcastError, or an HTTP 4xx (e.g. the registry's 404 for an unknown schema id).
    errorFilter: (err: unknown) => (err instanceof WarmcastError && !isRetriable(err)) || isClientHttpError(err),
  });
  return {
    name,
    opened: () => breaker.opened,
    shutdown: () => breaker.shutdown(),
    async call(...args: A): Promise<R> {
      try {
        return await breaker.fire(...args);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 'EOPENBREAKER') throw new WarmcastError('CIRCUIT_OPEN', `${name}: circuit open`, { cause: err });
        if (code === 'ETIMEDOUT') throw new WarmcastError('TIMEOUT', `${name}: ${errorMessage(err)}`, { cause: err });
        throw err;
      }
    },
  };
}
