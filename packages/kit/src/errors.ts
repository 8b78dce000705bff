// Errors are data (STYLE.md 5): a closed list of codes, a retriable flag, the cause kept.
// docs/errors.md documents every code; test/errors.test.ts checks the doc lists them all.

export const ERROR_CODES = {
  CONFIG_INVALID: { retriable: false, summary: 'a configuration key has a value outside its allowed range' },
  CATALOGUE_INVALID: { retriable: false, summary: 'the topic catalogue or a schema file is malformed' },
  UNKNOWN_TOPIC: { retriable: false, summary: 'a topic name that is not in the catalogue' },
  SCHEMA_REGISTRATION_FAILED: { retriable: true, summary: 'the registry did not accept a schema at start-up (network or 5xx)' },
  SCHEMA_INCOMPATIBLE: { retriable: false, summary: 'the registry refused a schema as incompatible (HTTP 409)' },
  REGISTRY_UNAVAILABLE: { retriable: true, summary: 'the schema registry could not be reached or the breaker is open' },
  ENCODE_FAILED: { retriable: false, summary: 'a value does not match its topic schema and cannot be serialized' },
  DECODE_FAILED: { retriable: false, summary: 'bytes are not a valid Confluent-framed Avro message (bad magic byte, truncated, not Avro)' },
  UNKNOWN_SCHEMA_ID: { retriable: false, summary: 'the message names a schema id the registry does not know' },
  VALIDATION_FAILED: { retriable: false, summary: 'the decoded value fails the handler\'s own validation' },
  HANDLER_FAILED: { retriable: false, summary: 'the handler threw a non-retriable error (or a programmer error: TypeError, RangeError, ...)' },
  HANDLER_TRANSIENT: { retriable: true, summary: 'the handler failed in a way that may succeed on retry (timeout, unavailable sink)' },
  RETRIES_EXHAUSTED: { retriable: false, summary: 'a retriable failure kept failing past the attempt limit' },
  PRODUCE_FAILED: { retriable: true, summary: 'the broker did not acknowledge a produced batch' },
  DEADLETTER_FAILED: { retriable: true, summary: 'the dead-letter topic could not be written; the offset is not committed' },
  CIRCUIT_OPEN: { retriable: true, summary: 'a circuit breaker is open; the call was not attempted' },
  TIMEOUT: { retriable: true, summary: 'an external call exceeded its time limit' },
  SHUTDOWN: { retriable: false, summary: 'the component is closing and accepts no more work' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class WarmcastError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WarmcastError';
    this.code = code;
    this.retriable = options.retriable ?? ERROR_CODES[code].retriable;
  }
}

export function isWarmcastError(err: unknown): err is WarmcastError {
  return err instanceof WarmcastError;
}

// Programmer errors are never retried: retrying a TypeError only repeats the bug.
export function isProgrammerError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError;
}

/** Retriable when the error says so (`retriable: true`), never for programmer errors. */
export function isRetriable(err: unknown): boolean {
  if (isProgrammerError(err)) return false;
  if (typeof err === 'object' && err !== null && 'retriable' in err) return (err as { retriable: unknown }).retriable === true;
  return false;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
