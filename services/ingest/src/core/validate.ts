// Validation of the two input events. Pure: the reference time (wall clock or the stream's
// event-time watermark, or null to skip that check) is an argument. First failure wins; the
// order is cheap checks first. Result is data, never an exception.
import { LanguageSymbols, SizeClassSymbols, StartKindSymbols, TierSymbols } from '@warmcast/kit';
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';
import type { ValidationLimits } from './limits.ts';
import { refuse } from './reasons.ts';
import type { Validated } from './reasons.ts';

// 2000-01-01 .. 2100-01-01 UTC: anything outside is a unit bug (seconds or micros for millis).
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

const SIZE_CLASSES = new Set<string>(SizeClassSymbols);
const LANGUAGES = new Set<string>(LanguageSymbols);
const TIERS = new Set<string>(TierSymbols);
const START_KINDS = new Set<string>(StartKindSymbols);

type Failure = Extract<Validated<never>, { ok: false }>;

function badTimestamp(name: string, v: number): Failure | null {
  if (!Number.isInteger(v) || v < MIN_TS || v >= MAX_TS) return refuse('TIMESTAMP_INVALID', `${name}=${v} is not a ms timestamp in 2000..2100`);
  return null;
}

function badId(name: string, v: string, l: ValidationLimits): Failure | null {
  if (v.length === 0 || v.length > l.maxIdChars) return refuse('ID_INVALID', `${name} has ${v.length} chars (allowed 1..${l.maxIdChars})`);
  return null;
}

/** eventTime vs producedAt and vs the reference clock (null: no reference, e.g. the first batch of a replay). */
function badTiming(name: string, t: number, producedAt: number, ref: number | null, l: ValidationLimits): Failure | null {
  const ts = badTimestamp(name, t) ?? badTimestamp('producedAt', producedAt);
  if (ts !== null) return ts;
  if (producedAt < t - l.maxFutureSkewMs) return refuse('PRODUCED_BEFORE_EVENT', `producedAt is ${t - producedAt} ms before ${name} (allowed ${l.maxFutureSkewMs})`);
  if (producedAt > t + l.maxProduceDelayMs) return refuse('PRODUCED_TOO_LATE', `producedAt is ${producedAt - t} ms after ${name} (allowed ${l.maxProduceDelayMs})`);
  if (ref !== null) {
    if (t > ref + l.maxFutureSkewMs) return refuse('EVENT_TIME_FUTURE', `${name} is ${t - ref} ms ahead of the reference clock (allowed ${l.maxFutureSkewMs})`);
    if (t < ref - l.maxLatenessMs) return refuse('EVENT_TIME_LATE', `${name} is ${ref - t} ms behind the reference clock (allowed ${l.maxLatenessMs})`);
  }
  return null;
}

function badResource(name: string, v: number, max: number): Failure | null {
  if (!Number.isFinite(v)) return refuse('RESOURCE_NOT_FINITE', `${name}=${v}`);
  if (v < 0) return refuse('RESOURCE_NEGATIVE', `${name}=${v}`);
  if (v > max) return refuse('RESOURCE_TOO_LARGE', `${name}=${v} above ${max}`);
  return null;
}

export function validateRequest(r: ExecutionRequest, ref: number | null, l: ValidationLimits): Validated<ExecutionRequest> {
  const fail =
    badId('requestId', r.requestId, l) ?? badId('userId', r.userId, l) ?? badId('functionId', r.functionId, l)
    ?? (r.applicationId === null ? null : badId('applicationId', r.applicationId, l))
    ?? badId('runtime', r.runtime, l) ?? badId('codeRef', r.codeRef, l)
    ?? badTiming('eventTime', r.eventTime, r.producedAt, ref, l)
    ?? (SIZE_CLASSES.has(r.sizeClass) ? null : refuse('ENUM_UNKNOWN', `sizeClass=${String(r.sizeClass)}`))
    ?? (LANGUAGES.has(r.language) ? null : refuse('ENUM_UNKNOWN', `language=${String(r.language)}`))
    ?? (TIERS.has(r.tier) ? null : refuse('ENUM_UNKNOWN', `tier=${String(r.tier)}`))
    ?? (Number.isInteger(r.priority) && r.priority >= 0 && r.priority <= 9 ? null : refuse('PRIORITY_RANGE', `priority=${r.priority}`))
    ?? (r.sourceText !== null && r.sourceText.length > l.maxSourceChars ? refuse('SOURCE_TOO_LARGE', `sourceText has ${r.sourceText.length} chars (allowed ${l.maxSourceChars})`) : null)
    ?? badTags(r.tags, l)
    ?? badCodeMetrics(r);
  return fail ?? { ok: true, value: r };
}

function badTags(tags: Record<string, string>, l: ValidationLimits): Failure | null {
  let n = 0;
  for (const k in tags) {
    n += 1;
    if (n > l.maxTags) return refuse('TAGS_TOO_MANY', `more than ${l.maxTags} tags`);
    const v = tags[k] ?? '';
    if (k.length === 0 || k.length > l.maxTagChars || v.length > l.maxTagChars) return refuse('TAG_INVALID', `tag key ${k.length} chars / value ${v.length} chars (allowed key 1..${l.maxTagChars}, value 0..${l.maxTagChars})`);
  }
  return null;
}

function badCodeMetrics(r: ExecutionRequest): Failure | null {
  const m = r.codeMetrics;
  if (m === null) return null;
  // Field by field: a list of [name, value] pairs here was 5 arrays per request (~30 % of requests carry codeMetrics).
  return badCount('lines', m.lines) ?? badCount('cyclomaticComplexity', m.cyclomaticComplexity) ?? badCount('imports', m.imports) ?? badCount('functions', m.functions);
}

function badCount(k: string, v: number): Failure | null {
  return Number.isInteger(v) && v >= 0 ? null : refuse('CODE_METRICS_INVALID', `codeMetrics.${k}=${v}`);
}

/** validatePair's answer when the pair is fine: one shared object, not one per pair. */
const PAIR_OK: Validated<true> = Object.freeze({ ok: true, value: true });

export function validateMetrics(m: ExecutionMetrics, ref: number | null, l: ValidationLimits): Validated<ExecutionMetrics> {
  const fail =
    badId('requestId', m.requestId, l) ?? badId('userId', m.userId, l) ?? badId('functionId', m.functionId, l)
    ?? badTiming('finishedAt', m.finishedAt, m.producedAt, ref, l)
    ?? badResource('durationMs', m.durationMs, l.maxDurationMs)
    ?? badResource('cpuMs', m.cpuMs, l.maxDurationMs * l.maxCpuCores)
    ?? badResource('cpuCores', m.cpuCores, l.maxCpuCores)
    ?? badResource('memoryPeakMb', m.memoryPeakMb, l.maxMemoryMb)
    ?? badResource('ioReadBytes', m.ioReadBytes, Number.MAX_SAFE_INTEGER)
    ?? badResource('ioWriteBytes', m.ioWriteBytes, Number.MAX_SAFE_INTEGER)
    ?? badResource('netInBytes', m.netInBytes, Number.MAX_SAFE_INTEGER)
    ?? badResource('netOutBytes', m.netOutBytes, Number.MAX_SAFE_INTEGER)
    ?? (m.gpuMs === null ? null : badResource('gpuMs', m.gpuMs, l.maxDurationMs * 64))
    ?? badResource('startLatencyMs', m.startLatencyMs, l.maxDurationMs)
    ?? (START_KINDS.has(m.start) ? null : refuse('ENUM_UNKNOWN', `start=${String(m.start)}`));
  return fail ?? { ok: true, value: m };
}

/** Cross-check when a metrics event meets its request (the pairing calls this). */
export function validatePair(r: ExecutionRequest, m: ExecutionMetrics, l: ValidationLimits): Validated<true> {
  if (r.userId !== m.userId || r.functionId !== m.functionId) return refuse('USER_MISMATCH', `requestId ${r.requestId}: request and metrics name different users or functions`);
  if (m.finishedAt < r.eventTime - l.maxFutureSkewMs) return refuse('FINISHED_BEFORE_REQUEST', `finishedAt is ${r.eventTime - m.finishedAt} ms before the request's eventTime`);
  return PAIR_OK;
}
