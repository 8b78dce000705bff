// The profiler's outputs (forecasts, accuracy records, changelog entries, dead letters: ~10
// records per input event) produced with @warmcast/lean-client's LeanProducer instead of kafkajs.
// Values are encoded with the kit codec's encodeSync (after one prepare() per topic), exactly
// the bytes TypedProducer writes; keys go through the same murmur2 partitioner, an explicit
// partition (the changelog's) is honoured. Codecs come from the kit's TypedProducer so the
// changelog reader and this producer share one registry lookup per topic.
import { LeanProducer } from '@warmcast/lean-client';
import { WarmcastError } from '@warmcast/kit';
import type { Logger, OutgoingMessage, TopicName, TypedProducer } from '@warmcast/kit';
import type { ProfilerProducer } from './profiler-consumer.ts';

export type ProducerKind = 'kafkajs' | 'lean';
export const PRODUCER_KINDS: readonly ProducerKind[] = ['kafkajs', 'lean'];
/**
 * lean: every profiler test (sigkill, reassignment, flush-failure) and packages/stack pass on it,
 * at 0.49 vs 0.77 CPU ms per event end to end (docs/profiler.md, Throughput).
 */
export const DEFAULT_PRODUCER: ProducerKind = 'lean';

export class LeanProfilerProducer implements ProfilerProducer {
  private readonly lean: LeanProducer;
  readonly codec: TypedProducer['codec'];

  constructor(private readonly typed: Pick<TypedProducer, 'codec'>, o: { brokers: readonly string[]; clientId: string; log: Logger }) {
    this.lean = new LeanProducer({ brokers: o.brokers, clientId: `${o.clientId}-lean`, log: o.log });
    this.codec = typed.codec.bind(typed);
  }

  async send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> {
    const codec = this.typed.codec(topic);
    if (codec.prepared) codec.refreshIfStale();
    else await codec.prepare();
    const records = messages.map((m) => {
      if (m.headers !== undefined) throw new WarmcastError('PRODUCE_FAILED', `send to ${topic}: the lean producer writes no headers`, { retriable: false });
      return { key: m.key, value: codec.encodeSync(m.value), ...(m.partition === undefined ? {} : { partition: m.partition }) };
    });
    await this.lean.send(topic, records).catch((err: unknown) => {
      throw new WarmcastError('PRODUCE_FAILED', `send ${records.length} to ${topic}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
  }

  close(): Promise<void> { return this.lean.close(); }
}
