// The whole per-batch decision of ingest, without I/O: validate -> pseudonymize -> features ->
// raw rows -> pair -> normalized events. The shell decodes, calls process() per fetched batch,
// and later stores / forwards / dead-letters what accumulated in the Output, then commits.
import type { ExecutionMetrics, ExecutionRequest, NormalizedEventInput } from '@warmcast/kit';
import type { ValidationLimits, ReferenceClock } from './limits.ts';
import { validateMetrics, validateRequest } from './validate.ts';
import type { Pseudonymizer } from './pseudonym.ts';
import type { FeatureCache } from './feature-cache.ts';
import { Pairer } from './pairing.ts';
import type { Origin, PairOutput } from './pairing.ts';
import { toNormalized, toRawMetricsRow, toRawRequestRow } from './normalize.ts';
import type { RawMetricsRow, RawRequestRow } from './normalize.ts';
import type { ReasonCode } from './reasons.ts';

export type Decoded =
  | { readonly side: 'request'; readonly value: ExecutionRequest; readonly origin: Origin }
  | { readonly side: 'metrics'; readonly value: ExecutionMetrics; readonly origin: Origin };

export interface Rejection { readonly origin: Origin; readonly code: ReasonCode; readonly reason: string }

/** What a flush must make durable: rows stored, events forwarded, rejects dead-lettered. */
export interface Output {
  rawRequests: RawRequestRow[];
  rawMetrics: RawMetricsRow[];
  normalized: { key: string; value: NormalizedEventInput }[];
  rejected: Rejection[];
}

export function emptyOutput(): Output { return { rawRequests: [], rawMetrics: [], normalized: [], rejected: [] }; }

export interface IngestCoreOptions {
  readonly limits: ValidationLimits;
  readonly referenceClock: ReferenceClock;
  readonly pairWindowMs: number;
  readonly maxPending: number;
  readonly storeRawUserIds: boolean;
  readonly pseudonymizer: Pseudonymizer;
  readonly features: FeatureCache;
}

export class IngestCore {
  readonly pairer: Pairer;
  private readonly o: IngestCoreOptions;
  /** Validation reference in watermark mode: the latest accepted event time (see reference()). */
  private streamRef: number | null = null;
  private readonly scratch: PairOutput[] = [];
  counts = { requests: 0, metrics: 0, rejected: 0, normalized: 0 };
  readonly rejectedByCode = new Map<ReasonCode, number>();

  constructor(options: IngestCoreOptions) {
    this.o = options;
    this.pairer = new Pairer({ windowMs: options.pairWindowMs, maxPending: options.maxPending, maxDone: Math.max(10_000, options.maxPending * 2), limits: options.limits });
  }

  /**
   * The reference a batch starts with (null: no check). Watermark mode: the highest of the
   * stream reference so far and this batch's median event time (a median ignores a few bogus
   * timestamps; a legitimate gap in the stream moves it on). During the batch, every accepted
   * event moves the reference forward (process()), so a batch spanning hours of replayed trace
   * is judged event by event, and only accepted events can move it: one year-2090 event is
   * refused instead of making everything after it "late". The reference is shared by all
   * partitions, so an idle partition does not freeze it.
   */
  reference(batch: readonly Decoded[], wallMs: number): number | null {
    if (this.o.referenceClock === 'none') return null;
    if (this.o.referenceClock === 'wall') return wallMs;
    // A median of 1-2 events is those events: it may start the reference, not move it.
    if (batch.length === 0 || (batch.length < 3 && this.streamRef !== null)) return this.streamRef;
    const times = batch.map((d) => (d.side === 'request' ? d.value.eventTime : d.value.finishedAt)).sort((a, b) => a - b);
    const median = times[times.length >> 1] ?? Number.NaN;
    if (!Number.isFinite(median)) return this.streamRef;
    return Math.max(this.streamRef ?? -Infinity, median);
  }

  /** pre: batch holds one topic-partition's messages in offset order. */
  process(batch: readonly Decoded[], wallMs: number, out: Output): void {
    let ref = this.reference(batch, wallMs);
    const moving = this.o.referenceClock === 'watermark';
    const pairs = this.scratch;
    pairs.length = 0;
    const { limits, storeRawUserIds, pseudonymizer, features } = this.o;
    for (const d of batch) {
      if (d.side === 'request') {
        const v = validateRequest(d.value, ref, limits);
        if (!v.ok) { this.reject(out, d.origin, v.code, v.reason); continue; }
        this.counts.requests += 1;
        if (moving && (ref === null || d.value.eventTime > ref)) ref = d.value.eventTime;
        const userKey = pseudonymizer.userKey(d.value.userId);
        const f = features.featuresOf(d.value);
        out.rawRequests.push(toRawRequestRow(d.value, userKey, f, storeRawUserIds, wallMs));
        this.pairer.offer({ side: 'request', value: d.value, userKey, features: f, origin: d.origin }, pairs);
      } else {
        const v = validateMetrics(d.value, ref, limits);
        if (!v.ok) { this.reject(out, d.origin, v.code, v.reason); continue; }
        this.counts.metrics += 1;
        if (moving && (ref === null || d.value.finishedAt > ref)) ref = d.value.finishedAt;
        const userKey = pseudonymizer.userKey(d.value.userId);
        out.rawMetrics.push(toRawMetricsRow(d.value, userKey, storeRawUserIds, wallMs));
        this.pairer.offer({ side: 'metrics', value: d.value, userKey, origin: d.origin }, pairs);
      }
    }
    if (moving && ref !== null) this.streamRef = ref;
    this.pairer.expire(pairs);
    for (const p of pairs) {
      if (p.kind === 'REJECTED') { this.reject(out, p.input.origin, p.code, p.reason); continue; }
      const n = toNormalized(p, wallMs);
      if (n !== null) { out.normalized.push(n); this.counts.normalized += 1; }
    }
  }

  private reject(out: Output, origin: Origin, code: ReasonCode, reason: string): void {
    this.counts.rejected += 1;
    this.rejectedByCode.set(code, (this.rejectedByCode.get(code) ?? 0) + 1);
    out.rejected.push({ origin, code, reason });
  }
}
