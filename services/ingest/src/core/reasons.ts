// The closed list of reasons an input event is refused (dead-lettered with VALIDATION_FAILED
// and this code in the reason text). docs/ingest.md has the same table; a test keeps them equal.
export const REASON_CODES = {
  EVENT_TIME_FUTURE: 'eventTime (or finishedAt) is later than the reference clock plus maxFutureSkewMs',
  EVENT_TIME_LATE: 'eventTime (or finishedAt) is earlier than the reference clock minus maxLatenessMs',
  PRODUCED_BEFORE_EVENT: 'producedAt is earlier than eventTime by more than maxFutureSkewMs (clocks disagree)',
  PRODUCED_TOO_LATE: 'producedAt is later than eventTime by more than maxProduceDelayMs',
  TIMESTAMP_INVALID: 'a timestamp is not a finite integer in 2000-01-01 .. 2100-01-01',
  RESOURCE_NEGATIVE: 'a resource figure (duration, cpu, memory, bytes, gpu, latency) is negative',
  RESOURCE_NOT_FINITE: 'a resource figure is NaN or infinite',
  RESOURCE_TOO_LARGE: 'a resource figure is above its sanity limit (e.g. duration > maxDurationMs)',
  ENUM_UNKNOWN: 'an enum symbol is not one this ingest knows (a newer producer schema)',
  PRIORITY_RANGE: 'priority is not an integer in 0..9',
  ID_INVALID: 'an id (requestId, userId, functionId, applicationId, codeRef, runtime) is empty or longer than maxIdChars',
  SOURCE_TOO_LARGE: 'sourceText is longer than maxSourceChars',
  TAGS_TOO_MANY: 'more than maxTags tags',
  TAG_INVALID: 'a tag key or value is empty (key) or longer than maxTagChars',
  CODE_METRICS_INVALID: 'codeMetrics has a negative or non-integer count',
  FINISHED_BEFORE_REQUEST: 'metrics finishedAt is earlier than its paired request eventTime minus maxFutureSkewMs',
  USER_MISMATCH: 'metrics and request with the same requestId carry different users or functions',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

export type Validated<V> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly code: ReasonCode; readonly reason: string };

export function refuse(code: ReasonCode, reason: string): { readonly ok: false; readonly code: ReasonCode; readonly reason: string } {
  return { ok: false, code, reason };
}
