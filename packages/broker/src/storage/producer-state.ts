/**
 * Idempotent-producer bookkeeping for one partition. Pure: a table of producerId -> epoch
 * and the last 5 batches (Kafka's ProducerStateEntry.NumBatchesToRetain = 5, matching
 * max.in.flight.requests.per.connection <= 5 for idempotent producers).
 */
import { StorageError } from './errors.ts';

export const RETAINED_BATCHES = 5;
const SEQ_WRAP = 2 ** 31; // sequences run 0 .. 2^31-1 then wrap to 0
/** Kafka's producer.id.expiration.ms default: 1 day. */
export const PRODUCER_ID_EXPIRATION_MS = 24 * 60 * 60 * 1000;

export interface ProducerBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: bigint;
  lastOffset: bigint;
}

export interface ProducerEntry {
  epoch: number;
  /** When this producer last appended (ms; batch maxTimestamp when rebuilt from disk). */
  lastMs: number;
  batches: ProducerBatch[]; // oldest first, at most RETAINED_BATCHES
}

export type SequenceCheck =
  | { kind: 'skip' } // not idempotent (producerId < 0) or control batch
  | { kind: 'append' }
  | { kind: 'duplicate'; original: ProducerBatch };

export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  return (baseSequence + lastOffsetDelta) % SEQ_WRAP;
}

function nextSequence(seq: number): number {
  return (seq + 1) % SEQ_WRAP;
}

export class ProducerStateTable {
  private readonly entries = new Map<bigint, ProducerEntry>();

  get(producerId: bigint): ProducerEntry | undefined {
    return this.entries.get(producerId);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Decides what to do with a batch. Throws INVALID_PRODUCER_EPOCH / OUT_OF_ORDER_SEQUENCE_NUMBER.
   * Unknown producers are accepted at any sequence (as Kafka >= 2.5 does after KIP-360), since
   * their state may have gone with retention or a restart that deleted every batch they wrote.
   */
  check(producerId: bigint, epoch: number, baseSequence: number, lastOffsetDelta: number): SequenceCheck {
    if (producerId < 0n) return { kind: 'skip' };
    return checkEntry(this.entries.get(producerId), producerId, epoch, baseSequence, lastOffsetDelta);
  }

  /**
   * Checks the batches of one request in order, as if each accepted one had been appended at
   * `nextOffset`, `nextOffset + its records`, ... (a request may carry several batches of one
   * producer; a group of requests written together passes the previous requests' `pending`).
   * Throws on the first bad batch; nothing in the table changes until record().
   */
  plan(
    batches: ReadonlyArray<{ producerId: bigint; epoch: number; baseSequence: number; lastOffsetDelta: number }>,
    nextOffset: bigint,
    pending: ReadonlyMap<bigint, ProducerEntry> = new Map(),
  ): { verdicts: SequenceCheck[]; pending: Map<bigint, ProducerEntry> } {
    const out = new Map(pending);
    const cloned = new Set<bigint>();
    let offset = nextOffset;
    const verdicts = batches.map((b): SequenceCheck => {
      if (b.producerId < 0n) {
        offset += BigInt(b.lastOffsetDelta) + 1n;
        return { kind: 'skip' };
      }
      if (!cloned.has(b.producerId)) {
        // copy on first touch, so a throw leaves `pending` and the table as they were
        const from = out.get(b.producerId) ?? this.entries.get(b.producerId);
        if (from !== undefined) out.set(b.producerId, { epoch: from.epoch, lastMs: from.lastMs, batches: [...from.batches] });
        cloned.add(b.producerId);
      }
      const entry = out.get(b.producerId);
      const verdict = checkEntry(entry, b.producerId, b.epoch, b.baseSequence, b.lastOffsetDelta);
      if (verdict.kind === 'append') {
        const next = entry === undefined || entry.epoch !== b.epoch ? { epoch: b.epoch, lastMs: 0, batches: [] } : entry;
        pushBatch(next, b.baseSequence, b.lastOffsetDelta, offset);
        out.set(b.producerId, next);
        offset += BigInt(b.lastOffsetDelta) + 1n;
      }
      return verdict;
    });
    return { verdicts, pending: out };
  }

  /** Records an appended batch (also used when rebuilding from stored batch headers). */
  record(producerId: bigint, epoch: number, baseSequence: number, lastOffsetDelta: number, baseOffset: bigint, nowMs: number): void {
    if (producerId < 0n) return;
    let entry = this.entries.get(producerId);
    if (entry === undefined || epoch !== entry.epoch) {
      entry = { epoch, lastMs: nowMs, batches: [] };
      this.entries.set(producerId, entry);
    }
    pushBatch(entry, baseSequence, lastOffsetDelta, baseOffset);
    if (nowMs > entry.lastMs) entry.lastMs = nowMs;
  }

  /**
   * Forgets producers idle for longer than maxIdleMs (Kafka producer.id.expiration.ms, default
   * 1 day). Without it every kafkajs idempotent producer.connect() (a fresh producer id each
   * time) would stay in memory for the life of the broker. Returns how many were dropped.
   */
  expire(nowMs: number, maxIdleMs: number): number {
    let n = 0;
    for (const [pid, e] of this.entries) {
      if (e.lastMs < nowMs - maxIdleMs) {
        this.entries.delete(pid);
        n++;
      }
    }
    return n;
  }
}

function pushBatch(entry: ProducerEntry, baseSequence: number, lastOffsetDelta: number, baseOffset: bigint): void {
  entry.batches.push({
    firstSeq: baseSequence,
    lastSeq: lastSequence(baseSequence, lastOffsetDelta),
    baseOffset,
    lastOffset: baseOffset + BigInt(lastOffsetDelta),
  });
  if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
}

function checkEntry(entry: ProducerEntry | undefined, producerId: bigint, epoch: number, baseSequence: number, lastOffsetDelta: number): SequenceCheck {
  if (entry === undefined) return { kind: 'append' };
  if (epoch < entry.epoch) {
    throw new StorageError('INVALID_PRODUCER_EPOCH', `producer ${producerId}: epoch ${epoch} < current ${entry.epoch}`);
  }
  if (epoch > entry.epoch) {
    if (baseSequence !== 0) {
      throw new StorageError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${producerId}: new epoch ${epoch} must start at sequence 0, got ${baseSequence}`);
    }
    return { kind: 'append' };
  }
  const last = lastSequence(baseSequence, lastOffsetDelta);
  const dup = entry.batches.find((b) => b.firstSeq === baseSequence && b.lastSeq === last);
  if (dup !== undefined) return { kind: 'duplicate', original: dup };
  const newest = entry.batches[entry.batches.length - 1];
  const expected = newest === undefined ? 0 : nextSequence(newest.lastSeq);
  if (baseSequence !== expected) {
    throw new StorageError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${producerId} epoch ${epoch}: sequence ${baseSequence}, expected ${expected}`);
  }
  return { kind: 'append' };
}
