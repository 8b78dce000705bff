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

/** A fetched batch of one input topic-partition: values[i] was read at offsets[i]. */
export type InputBatch =
  | { readonly side: 'request'; readonly topic: string; readonly partition: number; readonly values: readonly ExecutionRequest[]; readonly offsets: readonly number[] }
  | { readonly side: 'metrics'; readonly topic: string; readonly partition: number; readonly values: readonly ExecutionMetrics[]; readonly offsets: readonly number[] };

const requestTime = (v: ExecutionRequest): number => v.eventTime;
const metricsTime = (v: ExecutionMetrics): number => v.finishedAt;
const decodedTime = (d: Decoded): number => (d.side === 'request' ? d.value.eventTime : d.value.finishedAt);

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
  /** Scratch for the batch median (reused: one array per batch is garbage at 100k events/s too). */
  private readonly times: number[] = [];
  counts = { requests: 0, metrics: 0, rejected: 0, normalized: 0, redelivered: 0 };
  /**
   * Per input topic, per partition: the offset after the last event this core has processed.
   * An event below it is a redelivery within this core's life (a consumer rejoin re-reads from
   * the committed offsets, which the pairer's holds keep behind what was processed): its rows,
   * pair and dead letter are already in this core's earlier output, so it is skipped here. The
   * pairer's done-set alone cannot tell: it forgets the oldest ids past maxDone, and a request
   * paired long ago would come back as a new pending entry whose metrics never come again,
   * holding its partition's commits until the watermark passes it.
   */
  private readonly next = new Map<string, number[]>();
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
    return this.referenceOf(batch, decodedTime, wallMs);
  }

  private referenceOf<T>(batch: readonly T[], timeOf: (t: T) => number, wallMs: number): number | null {
    if (this.o.referenceClock === 'none') return null;
    if (this.o.referenceClock === 'wall') return wallMs;
    // A median of 1-2 events is those events: it may start the reference, not move it.
    if (batch.length === 0 || (batch.length < 3 && this.streamRef !== null)) return this.streamRef;
    const times = this.times;
    times.length = batch.length;
    for (let i = 0; i < batch.length; i++) times[i] = timeOf(batch[i]!);
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1] ?? Number.NaN;
    if (!Number.isFinite(median)) return this.streamRef;
    return Math.max(this.streamRef ?? -Infinity, median);
  }

  /** pre: batch holds one topic-partition's messages in offset order. */
  process(batch: readonly Decoded[], wallMs: number, out: Output): void {
    let ref = this.reference(batch, wallMs);
    const pairs = this.begin();
    for (const d of batch) {
      if (!this.fresh(d.origin.topic, d.origin.partition, d.origin.offset)) continue;
      ref = d.side === 'request' ? this.request(d.value, d.origin, ref, wallMs, out, pairs) : this.metrics(d.value, d.origin, ref, wallMs, out, pairs);
    }
    this.finish(ref, wallMs, out, pairs);
  }

  /**
   * process() for a fetched batch as the loop hands it over (parallel values and offsets): no
   * Decoded wrapper per event, one Origin per event (the pairer keeps it for holdOffset).
   * pre: one topic-partition, offset order.
   */
  processBatch(batch: InputBatch, wallMs: number, out: Output): void {
    const { topic, partition, offsets } = batch;
    const pairs = this.begin();
    if (batch.side === 'request') {
      const values = batch.values;
      let ref = this.referenceOf(values, requestTime, wallMs);
      for (let i = 0; i < values.length; i++) {
        if (!this.fresh(topic, partition, offsets[i]!)) continue;
        ref = this.request(values[i]!, { topic, partition, offset: offsets[i]! }, ref, wallMs, out, pairs);
      }
      this.finish(ref, wallMs, out, pairs);
    } else {
      const values = batch.values;
      let ref = this.referenceOf(values, metricsTime, wallMs);
      for (let i = 0; i < values.length; i++) {
        if (!this.fresh(topic, partition, offsets[i]!)) continue;
        ref = this.metrics(values[i]!, { topic, partition, offset: offsets[i]! }, ref, wallMs, out, pairs);
      }
      this.finish(ref, wallMs, out, pairs);
    }
  }

  /** True when the event at `offset` was not processed by this core yet (and records it). */
  private fresh(topic: string, partition: number, offset: number): boolean {
    let byPartition = this.next.get(topic);
    if (byPartition === undefined) { byPartition = []; this.next.set(topic, byPartition); }
    const expected = byPartition[partition];
    if (expected !== undefined && offset < expected) { this.counts.redelivered += 1; return false; }
    byPartition[partition] = offset + 1;
    return true;
  }

  private begin(): PairOutput[] {
    const pairs = this.scratch;
    pairs.length = 0;
    return pairs;
  }

  private request(value: ExecutionRequest, origin: Origin, ref: number | null, wallMs: number, out: Output, pairs: PairOutput[]): number | null {
    const { limits, storeRawUserIds, pseudonymizer, features } = this.o;
    const v = validateRequest(value, ref, limits);
    if (!v.ok) { this.reject(out, origin, v.code, v.reason); return ref; }
    this.counts.requests += 1;
    const userKey = pseudonymizer.userKey(value.userId);
    const f = features.featuresOf(value);
    out.rawRequests.push(toRawRequestRow(value, userKey, f, storeRawUserIds, wallMs));
    this.pairer.offer({ side: 'request', value, userKey, features: f, origin }, pairs);
    return this.moved(ref, value.eventTime);
  }

  private metrics(value: ExecutionMetrics, origin: Origin, ref: number | null, wallMs: number, out: Output, pairs: PairOutput[]): number | null {
    const { limits, storeRawUserIds, pseudonymizer } = this.o;
    const v = validateMetrics(value, ref, limits);
    if (!v.ok) { this.reject(out, origin, v.code, v.reason); return ref; }
    this.counts.metrics += 1;
    const userKey = pseudonymizer.userKey(value.userId);
    out.rawMetrics.push(toRawMetricsRow(value, userKey, storeRawUserIds, wallMs));
    this.pairer.offer({ side: 'metrics', value, userKey, origin }, pairs);
    return this.moved(ref, value.finishedAt);
  }

  /** Watermark mode: every accepted event moves the reference forward. */
  private moved(ref: number | null, t: number): number | null {
    return this.o.referenceClock === 'watermark' && (ref === null || t > ref) ? t : ref;
  }

  private finish(ref: number | null, wallMs: number, out: Output, pairs: PairOutput[]): void {
    if (this.o.referenceClock === 'watermark' && ref !== null) this.streamRef = ref;
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

/** Index of `offset` in ascending `offsets`, or -1. */
export function indexOfOffset(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = offsets[mid]!;
    if (v === offset) return mid;
    if (v < offset) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}
