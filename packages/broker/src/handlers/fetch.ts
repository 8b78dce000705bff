/**
 * Fetch (key 1), versions 4-11 (v12+ flexible). kafkajs and librdkafka both send v11.
 * - Long poll: answers as soon as at least minBytes of records are ready, else after maxWaitMs
 *   (kafkajs 5000 ms, librdkafka 500 ms). Produce wakes the waiting fetch early (waitForData);
 *   connection close or broker shutdown (ctx.signal) ends the wait with what is there.
 * - Sizes (KIP-74): partitions are filled in request order; each gets at most
 *   min(partitionMaxBytes, what is left of maxBytes), except that the first non-empty
 *   partition always gets at least its first whole batch so a consumer never stalls on a batch
 *   bigger than its limits. Once maxBytes is used up, later partitions answer with no records.
 * - A mid-batch fetch offset returns the whole batch containing it (clients skip the earlier
 *   records; CLIENT_NOTES §1.4). Batches go out exactly as stored (CRC unchanged).
 * - fetchOffset < logStartOffset or > highWatermark: OFFSET_OUT_OF_RANGE (1); unknown
 *   partition: UNKNOWN_TOPIC_OR_PARTITION (3).
 * - lastStableOffset = highWatermark (no transactions), logStartOffset (v5+),
 *   abortedTransactions [] for read_committed and null for read_uncommitted, preferred read
 *   replica -1 (v11). The isolation level is read but changes nothing else.
 * - Fetch sessions (KIP-227): only full fetches. sessionId 0 / epoch -1 is answered with
 *   sessionId 0 ("no session"); any other epoch gets FETCH_SESSION_ID_NOT_FOUND (70), which
 *   makes clients fall back to full fetches, as Kafka does when its session cache is full.
 */
import type { FetchRequest, FetchResponse, FetchResponsePartitionData } from '@warmcast/kafka-protocol';
import type { BrokerContext } from '../server/context.ts';
import { KafkaError, toKafkaError } from '../server/error-codes.ts';
import type { ApiHandler, RequestContext } from './handler.ts';

/** The fields this handler sets, checked against the generated spec types (missing ones encode as defaults). */
type PartitionData = Pick<FetchResponsePartitionData, 'partitionIndex' | 'errorCode' | 'highWatermark' | 'lastStableOffset'
  | 'logStartOffset' | 'abortedTransactions' | 'preferredReadReplica'> & { records: Buffer };
type FetchAnswer = Pick<FetchResponse, 'throttleTimeMs' | 'errorCode' | 'sessionId'> & { responses: { topic: string; partitions: PartitionData[] }[] };

const FETCH_SESSION_ID_NOT_FOUND = 70;
const READ_COMMITTED = 1;
/** Kafka sends an empty record set, never null: librdkafka rejects size -1 ("invalid MessageSetSize -1"). */
const NO_RECORDS = Buffer.alloc(0);

interface Collected { response: FetchAnswer; bytes: number; errors: boolean }
type Budget = { left: number; first: boolean };
type FetchPartition = FetchRequest['topics'][number]['partitions'][number];

async function readPartition(broker: BrokerContext, topic: string, p: FetchPartition, aborted: never[] | null, budget: Budget, arena: RequestContext['readArena']): Promise<PartitionData> {
  const base = { partitionIndex: p.partition, abortedTransactions: aborted, preferredReadReplica: -1 };
  const log = broker.logs.partition(topic, p.partition);
  if (log == null) {
    return { ...base, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: NO_RECORDS };
  }
  const hwm = log.highWatermark;
  const start = log.logStartOffset;
  const offsets = { highWatermark: hwm, lastStableOffset: hwm, logStartOffset: start };
  if (p.fetchOffset < start || p.fetchOffset > hwm) return { ...base, ...offsets, errorCode: KafkaError.OFFSET_OUT_OF_RANGE, records: NO_RECORDS };
  if (p.fetchOffset === hwm || (!budget.first && budget.left <= 0)) return { ...base, ...offsets, errorCode: 0, records: NO_RECORDS };
  try {
    const r = await log.read(p.fetchOffset, Math.max(1, Math.min(p.partitionMaxBytes, budget.left)), arena);
    if (r.records.length > 0) budget.first = false;
    budget.left -= r.records.length;
    return { ...base, errorCode: 0, highWatermark: r.highWatermark, lastStableOffset: r.highWatermark, logStartOffset: r.logStartOffset, records: r.records };
  } catch (err) {
    const mapped = toKafkaError(err);
    if (mapped.errorCode !== KafkaError.OFFSET_OUT_OF_RANGE) broker.log.warn({ topic, partition: p.partition, offset: p.fetchOffset, err }, 'fetch read failed');
    return { ...base, ...offsets, errorCode: mapped.errorCode, records: NO_RECORDS };
  }
}

async function collect(broker: BrokerContext, req: FetchRequest, arena: RequestContext['readArena']): Promise<Collected> {
  // Only the last collect()'s records are answered: an earlier round's views may be overwritten.
  arena?.reset();
  const aborted = req.isolationLevel === READ_COMMITTED ? [] : null;
  const budget: Budget = { left: req.maxBytes > 0 ? req.maxBytes : 0x7fffffff, first: true };
  let bytes = 0;
  let errors = false;
  const responses: FetchAnswer['responses'] = [];
  // Sequential on purpose: the maxBytes budget is spent in request order (KIP-74).
  for (const t of req.topics) {
    const partitions: PartitionData[] = [];
    responses.push({ topic: t.topic, partitions });
    for (const p of t.partitions) {
      const d = await readPartition(broker, t.topic, p, aborted, budget, arena);
      bytes += d.records.length;
      if (d.errorCode !== 0) errors = true;
      partitions.push(d);
    }
  }
  return { response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses }, bytes, errors };
}

/** Resolves on new data in any requested partition, after ms, or on abort; never rejects. */
function waitAny(broker: BrokerContext, req: FetchRequest, ms: number, signal: AbortSignal): Promise<void> {
  const local = new AbortController();
  const stop = (): void => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(stop, ms);
  const partitions = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition })));
  return broker.waitForAnyData(partitions, local.signal).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    local.abort();
  });
}

export const fetchHandler: ApiHandler<FetchRequest, FetchAnswer> = {
  apiKey: 1,
  minVersion: 4,
  maxVersion: 11,
  async handle(broker, request, ctx: RequestContext) {
    if (ctx.apiVersion >= 7 && (request.sessionId !== 0 || (request.sessionEpoch !== -1 && request.sessionEpoch !== 0))) {
      return { throttleTimeMs: 0, errorCode: FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
    }
    const deadline = ctx.nowMs + Math.max(0, request.maxWaitMs);
    const minBytes = Math.max(0, request.minBytes);
    for (;;) {
      const c = await collect(broker, request, ctx.readArena);
      const now = broker.clock.now();
      const partitions = request.topics.reduce((n, t) => n + t.partitions.length, 0);
      if (c.bytes >= minBytes && (c.bytes > 0 || minBytes === 0) || c.errors || partitions === 0 || now >= deadline || ctx.signal.aborted) {
        return c.response;
      }
      await waitAny(broker, request, deadline - now, ctx.signal);
    }
  },
};
