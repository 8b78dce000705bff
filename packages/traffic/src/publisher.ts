// Shell: publishes a trace as request and metrics events, paced in event time.
//
// Events come from the pure generator minute by minute in event-time order. They are sent
// in batches: a batch closes when it holds batchSize events or when the next event is due
// more than tickMs (100 ms) of wall time after the batch's first one; a batch is sent once
// its last event is due. So at --speed 60 a minute of trace (1 s of wall time) goes out in
// ~10 batches, and at speed 0 / Infinity in batches of batchSize with no waiting.
// Requests go to exec.request.received.v1, metrics to exec.metrics.reported.v1, both keyed
// by userId (the catalogue's key); a batch's requests and metrics are sent in parallel (each
// topic keeps its own event-time order), and the next batch only after both are acked.
import { Topics } from '@warmcast/kit';
import type { ExecutionMetricsInput, ExecutionRequestInput, TypedProducer } from '@warmcast/kit';
import type { Trace } from '@warmcast/forecast';
import { generateTraffic, MINUTE_MS, type TrafficEvent } from './core/generator.ts';
import type { TrafficTrace } from './core/profile.ts';
import { isValidSpeed, wallDue, type Pace } from './core/pace.ts';
import { systemClock, type WallClock } from './clock.ts';

export interface PublishProgress {
  /** trace slot just finished */
  readonly minute: number;
  /** slots with requests to publish in total (limit applied) */
  readonly minutes: number;
  readonly requests: number;
  readonly metrics: number;
  /** event time of the last event sent */
  readonly eventTime: number;
}

export interface PublishOptions {
  /** TypedProducer, or anything with its send (tests) */
  readonly producer: Pick<TypedProducer, 'send'>;
  readonly trace: Trace | TrafficTrace;
  /** trace minutes per wall minute; 0 or Infinity = as fast as possible (default 60) */
  readonly speed?: number;
  /** publish only the first `limit` trace minutes (from fromMinute); default all */
  readonly limit?: number;
  /** first trace minute (default 0) */
  readonly fromMinute?: number;
  /** wall time of trace minute 0, ms since the epoch (default: clock.now() at start, minus fromMinute) */
  readonly startEpochMs?: number;
  /** publish metrics events too (default true); false for the simulator-driven stack */
  readonly metrics?: boolean;
  readonly clock?: WallClock;
  readonly signal?: AbortSignal;
  /** called after each trace minute is sent */
  readonly onProgress?: (p: PublishProgress) => void;
  /** max events per batch (default 500) */
  readonly batchSize?: number;
  /** max wall time spanned by one batch when paced, ms (default 100) */
  readonly tickMs?: number;
}

export interface PublishResult {
  readonly requests: number;
  readonly metrics: number;
  readonly batches: number;
  /** trace slots that were published (limit applied) */
  readonly minutes: number;
  /** first and last event time sent (null when nothing was sent) */
  readonly firstEventTime: number | null;
  readonly lastEventTime: number | null;
  readonly wallMs: number;
  /** true when the signal stopped it early */
  readonly aborted: boolean;
}

export async function publishTrace(o: PublishOptions): Promise<PublishResult> {
  const clock = o.clock ?? systemClock;
  const speed = o.speed ?? 60;
  if (!isValidSpeed(speed)) throw new RangeError(`speed ${speed} must be > 0, or 0 / Infinity for as fast as possible`);
  const batchSize = o.batchSize ?? 500;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize ${batchSize} must be an integer >= 1`);
  const tickMs = o.tickMs ?? 100;
  const trace = 'profiles' in o.trace ? o.trace.trace : o.trace;
  const from = o.fromMinute ?? 0;
  if (!(Number.isInteger(from) && from >= 0 && from <= trace.minutes)) throw new RangeError(`fromMinute ${from} must be an integer in 0..${trace.minutes}`);
  const limit = o.limit ?? trace.minutes;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`limit ${limit} must be an integer >= 0`);
  const to = Math.min(trace.minutes, from + limit);
  const wallStart = clock.now();
  const startEpochMs = o.startEpochMs ?? wallStart - from * MINUTE_MS;
  const pace: Pace = { eventOrigin: startEpochMs + from * MINUTE_MS, wallOrigin: wallStart, speed };

  let requests = 0;
  let metrics = 0;
  let batches = 0;
  let first: number | null = null;
  let last: number | null = null;
  let batch: TrafficEvent[] = [];

  const flush = async (): Promise<void> => {
    const tail = batch[batch.length - 1];
    if (tail === undefined) return;
    const wait = wallDue(pace, tail.time) - clock.now();
    if (wait > 0) await clock.sleep(wait, o.signal);
    if (o.signal?.aborted === true) return;
    const req: { key: string; value: ExecutionRequestInput }[] = [];
    const met: { key: string; value: ExecutionMetricsInput }[] = [];
    for (const e of batch) {
      if (e.kind === 'request') req.push({ key: e.key, value: e.value });
      else met.push({ key: e.key, value: e.value });
    }
    // the two topics in parallel: order only matters within a partition. Throughput is bound
    // by the per-message Avro encode, not by these sends (bench/publish.bench.ts: ~2,000 events/s)
    await Promise.all([
      req.length > 0 ? o.producer.send(Topics.execRequestReceived, req) : undefined,
      met.length > 0 ? o.producer.send(Topics.execMetricsReported, met) : undefined,
    ]);
    requests += req.length;
    metrics += met.length;
    batches++;
    first ??= batch[0]?.time ?? null;
    last = tail.time;
    batch = [];
  };

  for (const minute of generateTraffic(o.trace, { startEpochMs, fromMinute: from, toMinute: to, metrics: o.metrics ?? true })) {
    for (const e of minute.events) {
      const head = batch[0];
      if (head !== undefined && (batch.length >= batchSize || wallDue(pace, e.time) - wallDue(pace, head.time) > tickMs)) await flush();
      if (o.signal?.aborted === true) break;
      batch.push(e);
    }
    if (o.signal?.aborted !== true) await flush();
    if (o.signal?.aborted === true) break;
    o.onProgress?.({ minute: minute.minute, minutes: to - from, requests, metrics, eventTime: last ?? minute.startMs });
  }
  return { requests, metrics, batches, minutes: to - from, firstEventTime: first, lastEventTime: last, wallMs: clock.now() - wallStart, aborted: o.signal?.aborted === true };
}
