/**
 * Registry errors as data (STYLE.md 5). The codes are Confluent Schema Registry's
 * (`Errors.java`, also used by Karapace); the HTTP status is the code's first three digits,
 * except 409 (incompatible schema), whose body code is the bare 409 as older SR and Karapace
 * send it. `retriable` tells a caller whether the same request may succeed later unchanged:
 * only store failures are.
 */
export const ErrorCodes = {
  INCOMPATIBLE_SCHEMA: 409,
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  VERSION_SOFT_DELETED: 40406,
  VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: 40408,
  BAD_REQUEST: 400,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  REFERENCE_EXISTS: 42206,
  INVALID_SUBJECT: 42208,
  INVALID_REQUEST: 422,
  STORE_ERROR: 50001,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface RegistryError {
  readonly kind: 'registry-error';
  readonly errorCode: ErrorCode;
  readonly httpStatus: number;
  readonly message: string;
  readonly retriable: boolean;
  readonly cause?: unknown;
}

/** 40401 -> 404, 42201 -> 422, 409 -> 409, 50001 -> 500; bare HTTP codes (400, 404, 405, 422) map to themselves. */
export function httpStatusOf(code: ErrorCode): number {
  return code < 1000 ? code : Math.floor(code / 100);
}

export function registryError(errorCode: ErrorCode, message: string, cause?: unknown): RegistryError {
  return {
    kind: 'registry-error',
    errorCode,
    httpStatus: httpStatusOf(errorCode),
    message,
    retriable: errorCode === ErrorCodes.STORE_ERROR,
    ...(cause === undefined ? {} : { cause }),
  };
}

export function isRegistryError(x: unknown): x is RegistryError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'registry-error';
}

/** A decision either succeeds with a value or fails with a RegistryError; never throws. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: RegistryError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(errorCode: ErrorCode, message: string, cause?: unknown): Result<T> => ({
  ok: false,
  error: registryError(errorCode, message, cause),
});
