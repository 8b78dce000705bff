// Ingest's own options (beside the kit's KitConfig): defaults, parse, validate, freeze once.
// Every error names the key, the value and what is allowed (STYLE.md 6). Environment keys are
// WARMCAST_INGEST_* (see ingest-env.ts); the HMAC key is parsed in the shell (it is a secret,
// never echoed in an error).
import { WarmcastError } from '@warmcast/kit';
import { DEFAULT_LIMITS, REFERENCE_CLOCKS } from './limits.ts';
import type { ReferenceClock, ValidationLimits } from './limits.ts';

export interface IngestOptions {
  readonly limits: ValidationLimits;
  /** wall (live), watermark (replay: the stream's own event time), none. */
  readonly referenceClock: ReferenceClock;
  /** Event-time pairing window; 0 = no pairing (requests-only deployments). */
  readonly pairWindowMs: number;
  readonly maxPending: number;
  /** Raw user ids in raw rows (never on the normalized topic). Off by default. */
  readonly storeRawUserIds: boolean;
  /** Raw rows per ClickHouse insert, and the longest a row waits for one (wall ms). */
  readonly batchMaxRows: number;
  readonly batchMaxDelayMs: number;
  /** Fetched batches whose output is not yet durable before fetching waits. */
  readonly maxInFlightBatches: number;
  /** Code features are cached per codeRef, at most this many. */
  readonly featureCacheSize: number;
  /** 'kafkajs' (default) or 'lean' (one socket, whole record batches; see lean-producer.ts). */
  readonly forwarder: 'kafkajs' | 'lean';
  /** Input consumer: 'lean' (default: @warmcast/lean-client, Fetch decoded to Buffer views, ~3 us/msg
   *  CPU against kafkajs's ~6-7 in bench:consumer) or 'kafkajs'. Both use the co-partitioned protocol. */
  readonly consumer: 'kafkajs' | 'lean';
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = Object.freeze({
  limits: DEFAULT_LIMITS,
  referenceClock: 'wall',
  pairWindowMs: 5 * 60_000,
  maxPending: 100_000, // ~1 KB per pending request (with source) -> ~100 MB worst case
  storeRawUserIds: false,
  batchMaxRows: 20_000,
  batchMaxDelayMs: 500,
  maxInFlightBatches: 8,
  featureCacheSize: 50_000,
  forwarder: 'kafkajs',
  consumer: 'lean',
});

function invalid(key: string, value: unknown, allowed: string): WarmcastError {
  return new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} must be ${allowed}`);
}

function int(key: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalid(key, value, `an integer in ${min}..${max}`);
  return n;
}

function bool(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(key, value, 'true or false');
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(key, value, `one of ${allowed.join(', ')}`);
  return value as T;
}

export type IngestOptionsInput = Partial<Omit<IngestOptions, 'limits'>> & { readonly limits?: Partial<ValidationLimits> };

/** Validates a partial options object (values may be strings, as from the environment). */
export function ingestOptions(input: Readonly<Record<string, unknown>> = {}, names: Readonly<Record<string, string>> = {}): IngestOptions {
  const d = DEFAULT_INGEST_OPTIONS;
  const name = (k: string): string => names[k] ?? k;
  const known = new Set([...Object.keys(d), ...Object.keys(d.limits)]);
  for (const k of Object.keys(input)) if (!known.has(k)) throw invalid(name(k), input[k], `a known key (one of ${[...known].join(', ')})`);
  const get = (k: string, dv: unknown): unknown => input[k] ?? (input['limits'] as Record<string, unknown> | undefined)?.[k] ?? dv;
  const DAY = 86_400_000;
  const limits: ValidationLimits = Object.freeze({
    maxFutureSkewMs: int(name('maxFutureSkewMs'), get('maxFutureSkewMs', d.limits.maxFutureSkewMs), 0, 30 * DAY),
    maxLatenessMs: int(name('maxLatenessMs'), get('maxLatenessMs', d.limits.maxLatenessMs), 0, 3650 * DAY),
    maxProduceDelayMs: int(name('maxProduceDelayMs'), get('maxProduceDelayMs', d.limits.maxProduceDelayMs), 0, 3650 * DAY),
    maxIdChars: int(name('maxIdChars'), get('maxIdChars', d.limits.maxIdChars), 1, 65_536),
    maxSourceChars: int(name('maxSourceChars'), get('maxSourceChars', d.limits.maxSourceChars), 0, 64 * 1024 * 1024),
    maxTags: int(name('maxTags'), get('maxTags', d.limits.maxTags), 0, 10_000),
    maxTagChars: int(name('maxTagChars'), get('maxTagChars', d.limits.maxTagChars), 1, 65_536),
    maxDurationMs: int(name('maxDurationMs'), get('maxDurationMs', d.limits.maxDurationMs), 1, 3650 * DAY),
    maxMemoryMb: int(name('maxMemoryMb'), get('maxMemoryMb', d.limits.maxMemoryMb), 1, 2 ** 40),
    maxCpuCores: int(name('maxCpuCores'), get('maxCpuCores', d.limits.maxCpuCores), 1, 1_000_000),
  });
  return Object.freeze({
    limits,
    referenceClock: oneOf(name('referenceClock'), get('referenceClock', d.referenceClock), REFERENCE_CLOCKS),
    pairWindowMs: int(name('pairWindowMs'), get('pairWindowMs', d.pairWindowMs), 0, DAY),
    maxPending: int(name('maxPending'), get('maxPending', d.maxPending), 1, 10_000_000),
    storeRawUserIds: bool(name('storeRawUserIds'), get('storeRawUserIds', d.storeRawUserIds)),
    batchMaxRows: int(name('batchMaxRows'), get('batchMaxRows', d.batchMaxRows), 1, 1_000_000),
    batchMaxDelayMs: int(name('batchMaxDelayMs'), get('batchMaxDelayMs', d.batchMaxDelayMs), 0, 600_000),
    maxInFlightBatches: int(name('maxInFlightBatches'), get('maxInFlightBatches', d.maxInFlightBatches), 1, 1000),
    featureCacheSize: int(name('featureCacheSize'), get('featureCacheSize', d.featureCacheSize), 0, 10_000_000),
    forwarder: oneOf(name('forwarder'), get('forwarder', d.forwarder), ['kafkajs', 'lean'] as const),
    consumer: oneOf(name('consumer'), get('consumer', d.consumer), ['kafkajs', 'lean'] as const),
  });
}
