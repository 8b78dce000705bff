// Typed producer for catalogued topics: values are checked against the topic's schema and
// encoded by the registry serde (synchronously, once the topic's latest schema is known); keys
// are UTF-8 strings (the catalogue says which field).
import type { Producer, IHeaders } from 'kafkajs';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import type { TopicInputs, TopicName, TopicValues } from './generated/catalogue.ts';
import { topicSpec } from './topics.ts';
import { ValueCodec } from './serde/value-codec.ts';
import { WarmcastError, errorMessage } from './errors.ts';
import type { KitMetrics } from './metrics.ts';
import type { Guard } from './breaker.ts';

export interface OutgoingMessage<N extends TopicName> {
  readonly key: string | null;
  readonly value: TopicInputs[N];
  readonly headers?: IHeaders;
  readonly partition?: number;
}

export class TypedProducer {
  private readonly producer: Producer;
  private readonly registry: SchemaRegistryClient;
  private readonly metrics: KitMetrics | undefined;
  private readonly codecs = new Map<string, ValueCodec<unknown, unknown>>();
  private connected = false;

  private readonly guard: Guard | undefined;

  /** guard: wraps registry lookups of the codecs (KitService passes its registry breaker). */
  constructor(options: { producer: Producer; registry: SchemaRegistryClient; metrics?: KitMetrics; guard?: Guard }) {
    this.guard = options.guard;
    this.producer = options.producer;
    this.registry = options.registry;
    this.metrics = options.metrics;
  }

  codec<N extends TopicName>(topic: N): ValueCodec<TopicValues[N], TopicInputs[N]> {
    let c = this.codecs.get(topic);
    if (c === undefined) {
      c = new ValueCodec(this.registry, topic, topicSpec(topic).schemaText, this.guard);
      this.codecs.set(topic, c);
    }
    return c as ValueCodec<TopicValues[N], TopicInputs[N]>;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /** Encodes every value first (an ENCODE_FAILED sends nothing), then sends in one request; resolves when acked. */
  async send<N extends TopicName>(topic: N, messages: readonly OutgoingMessage<N>[]): Promise<void> {
    if (!this.connected) throw new WarmcastError('SHUTDOWN', `send to ${topic}: producer not started or closed`);
    const codec = this.codec(topic);
    // One registry lookup per topic (prepare), then synchronous encodes: no promise per value.
    if (codec.prepared) codec.refreshIfStale();
    else await codec.prepare();
    const encoded = messages.map((m) => ({
      key: m.key,
      value: codec.encodeSync(m.value),
      ...(m.headers === undefined ? {} : { headers: m.headers }),
      ...(m.partition === undefined ? {} : { partition: m.partition }),
    }));
    try {
      await this.producer.send({ topic, messages: encoded });
    } catch (err) {
      throw new WarmcastError('PRODUCE_FAILED', `send ${messages.length} to ${topic}: ${errorMessage(err)}`, { cause: err });
    }
    this.metrics?.produced.inc({ topic }, messages.length);
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}
