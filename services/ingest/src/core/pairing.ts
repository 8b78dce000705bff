// Pairs a request with its metrics by requestId inside an event-time window.
//
// Outputs: PAIRED when both were seen; REQUEST / METRICS alone when the other side did not come
// within windowMs (cause 'expired'), when memory is full (cause 'evicted', oldest arrival first)
// or when the other side was already emitted alone (cause 'late'). A second copy of a side
// already seen is DUPLICATE (dropped; at-least-once redelivery makes these normal).
//
// Expiry is driven by the event-time watermark, never by the wall clock. Requests and metrics
// of one user share a key (userId) and so a partition number on both topics; the watermark of
// partition p is min(latest request eventTime on p, latest metrics finishedAt on p): a side
// that is behind (fetched later) holds back expiry instead of turning every pair into two
// singles. Consequence: if one side stops flowing, entries leave only by eviction (maxPending),
// so a requests-only deployment sets windowMs = 0 (no pairing, everything emitted at once).
//
// Offsets: an entry pins its input offset: holdOffset(topic, partition) is the lowest offset
// still pending there, and the shell never commits past it (the event is not forwarded yet).
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';
import type { CodeFeaturesValue } from './features.ts';
import type { ValidationLimits } from './limits.ts';
import { validatePair } from './validate.ts';
import type { ReasonCode } from './reasons.ts';

export interface Origin {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset; offsets stay exact as doubles below 2^53. */
  readonly offset: number;
}

export interface RequestIn { readonly side: 'request'; readonly value: ExecutionRequest; readonly userKey: string; readonly features: CodeFeaturesValue | null; readonly origin: Origin }
export interface MetricsIn { readonly side: 'metrics'; readonly value: ExecutionMetrics; readonly userKey: string; readonly origin: Origin }
export type PairInput = RequestIn | MetricsIn;

export type PairOutput =
  | { readonly kind: 'PAIRED'; readonly request: RequestIn; readonly metrics: MetricsIn }
  | { readonly kind: 'REQUEST'; readonly request: RequestIn; readonly cause: 'expired' | 'evicted' | 'late' | 'unpaired' }
  | { readonly kind: 'METRICS'; readonly metrics: MetricsIn; readonly cause: 'expired' | 'evicted' | 'late' | 'unpaired' }
  | { readonly kind: 'DUPLICATE'; readonly input: PairInput }
  | { readonly kind: 'REJECTED'; readonly input: PairInput; readonly code: ReasonCode; readonly reason: string };

export interface PairingOptions {
  /** Event-time window; 0 disables pairing (each input is emitted alone, cause 'unpaired'). */
  readonly windowMs: number;
  /** Pending entries kept at most; past it the oldest arrival is emitted alone. */
  readonly maxPending: number;
  /** Emitted request ids remembered to recognise duplicates and late sides. */
  readonly maxDone: number;
  readonly limits: ValidationLimits;
}

// Done-set bits: which sides of a request id were already emitted.
const REQ = 1;
const MET = 2;

function timeOf(i: PairInput): number { return i.side === 'request' ? i.value.eventTime : i.value.finishedAt; }

export class Pairer {
  private readonly o: PairingOptions;
  private readonly pending = new Map<string, PairInput>();
  /**
   * Per input topic, per partition: pending entries in arrival (= offset) order. Nested rather
   * than keyed by a "topic/partition" string: that string was built twice per event (add and
   * remove), garbage at 100k events/s.
   */
  private readonly queues = new Map<string, Map<string, PairInput>[]>();
  private readonly done = new Map<string, number>();
  private readonly wmReq = new Map<number, number>();
  private readonly wmMet = new Map<number, number>();
  counts = { paired: 0, expired: 0, evicted: 0, late: 0, duplicates: 0, rejected: 0 };

  constructor(options: PairingOptions) { this.o = options; }

  get size(): number { return this.pending.size; }

  /** Watermark of a partition number: min of both sides' latest event time; -Infinity until both seen. */
  watermark(partition: number): number {
    return Math.min(this.wmReq.get(partition) ?? -Infinity, this.wmMet.get(partition) ?? -Infinity);
  }

  offer(input: PairInput, out: PairOutput[]): void {
    const marks = input.side === 'request' ? this.wmReq : this.wmMet;
    const t = timeOf(input);
    if (t > (marks.get(input.origin.partition) ?? -Infinity)) marks.set(input.origin.partition, t);
    const id = input.value.requestId;
    const bit = input.side === 'request' ? REQ : MET;
    const seen = this.done.get(id);
    if (seen !== undefined) {
      if ((seen & bit) !== 0) { this.counts.duplicates += 1; out.push({ kind: 'DUPLICATE', input }); return; }
      this.done.set(id, seen | bit);
      this.counts.late += 1;
      out.push(this.single(input, 'late'));
      return;
    }
    if (this.o.windowMs === 0) { this.markDone(id, bit); out.push(this.single(input, 'unpaired')); return; }
    const other = this.pending.get(id);
    if (other === undefined) { this.add(id, input); this.evictOverflow(out); return; }
    if (other.side === input.side) { this.counts.duplicates += 1; out.push({ kind: 'DUPLICATE', input }); return; }
    const request = (input.side === 'request' ? input : other) as RequestIn;
    const metrics = (input.side === 'metrics' ? input : other) as MetricsIn;
    const check = validatePair(request.value, metrics.value, this.o.limits);
    if (!check.ok) { this.counts.rejected += 1; out.push({ kind: 'REJECTED', input, code: check.code, reason: check.reason }); return; }
    this.remove(id, other);
    this.markDone(id, REQ | MET);
    this.counts.paired += 1;
    out.push({ kind: 'PAIRED', request, metrics });
  }

  /** Emits every pending entry whose time + windowMs is at or below its partition's watermark. */
  expire(out: PairOutput[]): void {
    for (const byPartition of this.queues.values()) for (const queue of byPartition) {
      if (queue === undefined) continue;
      // Arrival order approximates event-time order within a partition; an out-of-order entry
      // leaves when those before it have (at most one window late, never lost).
      for (const [id, entry] of queue) {
        if (timeOf(entry) + this.o.windowMs > this.watermark(entry.origin.partition)) break;
        this.remove(id, entry);
        this.markDone(id, entry.side === 'request' ? REQ : MET);
        this.counts.expired += 1;
        out.push(this.single(entry, 'expired'));
      }
    }
  }

  /** Lowest offset still pending on a topic-partition, or null: commit nothing at or past it. */
  holdOffset(topic: string, partition: number): number | null {
    const q = this.queues.get(topic)?.[partition];
    if (q === undefined) return null;
    for (const entry of q.values()) return entry.origin.offset;
    return null;
  }

  private single(input: PairInput, cause: 'expired' | 'evicted' | 'late' | 'unpaired'): PairOutput {
    return input.side === 'request' ? { kind: 'REQUEST', request: input, cause } : { kind: 'METRICS', metrics: input, cause };
  }

  private add(id: string, input: PairInput): void {
    this.pending.set(id, input);
    const { topic, partition } = input.origin;
    let byPartition = this.queues.get(topic);
    if (byPartition === undefined) { byPartition = []; this.queues.set(topic, byPartition); }
    let q = byPartition[partition];
    if (q === undefined) { q = new Map(); byPartition[partition] = q; }
    q.set(id, input);
  }

  private remove(id: string, entry: PairInput): void {
    this.pending.delete(id);
    this.queues.get(entry.origin.topic)?.[entry.origin.partition]?.delete(id);
  }

  private markDone(id: string, bits: number): void {
    this.done.set(id, bits);
    if (this.done.size > this.o.maxDone) {
      for (const k of this.done.keys()) { this.done.delete(k); if (this.done.size <= this.o.maxDone) break; }
    }
  }

  /** Map iteration is insertion order, so the first pending key is the oldest arrival. */
  private evictOverflow(out: PairOutput[]): void {
    while (this.pending.size > this.o.maxPending) {
      const first = this.pending.entries().next().value;
      if (first === undefined) return;
      const [id, entry] = first;
      this.remove(id, entry);
      this.markDone(id, entry.side === 'request' ? REQ : MET);
      this.counts.evicted += 1;
      out.push(this.single(entry, 'evicted'));
    }
  }
}
