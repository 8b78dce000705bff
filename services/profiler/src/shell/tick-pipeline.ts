// The durable half of one input partition: what a consumed batch produced (forecasts, accuracy
// records, dead letters, at most one checkpoint) made durable in the order restart safety needs,
// while the consumer already folds the next batch.
//
// Per flush (one per consumed batch), per partition:
//   1. forecasts, accuracy records and dead letters: sent at once, in parallel, chunks of ~900 KB;
//   2. the checkpoint's changelog entries (user entries, then the partition entry): only once (1)
//      is acked AND the previous flush has settled, so a changelog entry never claims a tick whose
//      forecasts are not durable, and entries of one key land in checkpoint order (newest wins);
//   3. the commit of checkpoint offset + 1: only once (2) is acked; flushes settle in order, so
//      commits are in order.
// A failed step fails its flush and, through step 2's wait, every later flush of the partition:
// nothing is committed past an un-acked output. The consumer then restores the partition from
// its changelog and re-reads from the restored offset (profiler-consumer.ts).
//
// Before (one await chain per tick): 3 round trips per tick per partition, 100-message sends.
import type { ForecastAccuracyInput, OutgoingMessage, TopicName, UserForecastInput } from '@warmcast/kit';
import { Topics } from '@warmcast/kit';
import type { DeadLetterInput } from '@warmcast/kit';
import type { Checkpoint } from '../core/partition-profiler.ts';

/** Bytes per produce request: under the 1 MiB default message.max.bytes with room for framing. */
export const SEND_BYTES = 900_000;
/**
 * Size estimates before encoding (Avro). A forecast is ~0.7 KB (4 horizons x 4 metrics x 4
 * quantiles of doubles, mixes, need), an accuracy record ~0.15 KB; over-estimated so a chunk
 * stays under SEND_BYTES. Changelog entries are sized exactly by their state bytes.
 */
const FORECAST_BYTES = 1_200;
const ACCURACY_BYTES = 300;
const ENTRY_OVERHEAD = 200;

export interface FlushWork {
  readonly forecasts: readonly UserForecastInput[];
  readonly accuracy: readonly ForecastAccuracyInput[];
  readonly deadLetters: readonly DeadLetterInput[];
  readonly checkpoint: Checkpoint | undefined;
  /** last input offset of the batch (folded, skipped or dead-lettered) */
  readonly lastOffset: number;
}

/** The I/O a pipeline needs: TypedProducer.send and the consumer's commit (a test passes fakes). */
export interface PipelineIo {
  send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void>;
  commit(partition: number, nextOffset: number): Promise<void>;
}

export interface FlushDone {
  readonly work: FlushWork;
  readonly ticks: number;
}

/** Splits items into runs whose estimated sizes sum to at most maxBytes (an item above it travels alone). */
export function chunksByBytes<T>(items: readonly T[], size: (t: T) => number, maxBytes = SEND_BYTES): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const it of items) {
    const b = size(it);
    if (cur.length > 0 && bytes + b > maxBytes) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += b;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export class PartitionPipeline {
  private tail: Promise<void> = Promise.resolve();
  /** flushes not settled yet, oldest first */
  private readonly queue: Promise<void>[] = [];
  /** the first failure; every later flush fails with it too */
  failure: unknown;
  /** last input offset whose outputs are all acked (and committed, when it had a checkpoint) */
  durableOffset: number;

  constructor(
    readonly partition: number,
    private readonly changelogPartition: number,
    private readonly io: PipelineIo,
    restoredOffset: number,
    private readonly onDone: (d: FlushDone) => void,
  ) {
    this.durableOffset = restoredOffset;
  }

  /** Flushes not settled yet. */
  get inFlight(): number {
    return this.queue.length;
  }

  /** Waits until at most `max` flushes are outstanding (back-pressure), or one failed. */
  async below(max: number): Promise<void> {
    while (this.queue.length > max && this.failure === undefined) await this.queue[0]?.catch(() => undefined);
  }

  /** Starts the flush; the promise settles after every earlier flush of this partition did. */
  push(work: FlushWork, ticks: number): Promise<void> {
    const outputs = this.sendOutputs(work);
    const prev = this.tail;
    const done = (async () => {
      try {
        // allSettled: wait for both even when one fails, so flushes settle strictly in order
        const [o, p] = await Promise.allSettled([outputs, prev]);
        if (p.status === 'rejected') throw p.reason;
        if (o.status === 'rejected') throw o.reason;
        const cp = work.checkpoint;
        if (cp) {
          for (const chunk of chunksByBytes(cp.changelog, (c) => c.state.length + ENTRY_OVERHEAD)) {
            await this.io.send(Topics.profilerStateChangelog, chunk.map((c) => ({ key: c.userKey, value: c, partition: this.changelogPartition })));
          }
          await this.io.commit(this.partition, cp.sourceOffset + 1);
        }
        this.durableOffset = Math.max(this.durableOffset, work.lastOffset);
        this.onDone({ work, ticks });
      } catch (err) {
        this.failure ??= err;
        throw this.failure;
      } finally {
        void this.queue.shift(); // flushes settle in push order (dropped, not awaited)
      }
    })();
    this.queue.push(done);
    this.tail = done;
    return done;
  }

  /** Resolves when every flush pushed so far has settled (failed or not). */
  async settled(): Promise<void> {
    await this.tail.catch(() => undefined);
  }

  private async sendOutputs(w: FlushWork): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const c of chunksByBytes(w.forecasts, () => FORECAST_BYTES)) sends.push(this.io.send(Topics.forecastUserPublished, c.map((f) => ({ key: f.userKey, value: f }))));
    for (const c of chunksByBytes(w.accuracy, () => ACCURACY_BYTES)) sends.push(this.io.send(Topics.forecastAccuracyScored, c.map((a) => ({ key: a.userKey, value: a }))));
    if (w.deadLetters.length > 0) sends.push(this.io.send(Topics.opsDeadletter, w.deadLetters.map((d) => ({ key: d.sourceTopic, value: d }))));
    await Promise.all(sends);
  }
}
