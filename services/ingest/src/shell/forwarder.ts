// Forwards normalized events to exec.event.normalized.v1, keyed by userKey. send() resolves
// when the broker acknowledged every message (acks=all), so the caller may commit after it.
import kafkajs from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { Topics, WarmcastError } from '@warmcast/kit';
import type { NormalizedEventInput } from '@warmcast/kit';
import { FastValueEncoder } from './fast-encoder.ts';

export interface Forwarder {
  start(): Promise<void>;
  send(messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void>;
  close(): Promise<void>;
  readonly sent: number;
}

/** kafkajs producer, idempotent, one request in flight: per-key order survives retries. */
export class KafkajsForwarder implements Forwarder {
  private readonly producer: Producer;
  private readonly encoder: FastValueEncoder<NormalizedEventInput>;
  sent = 0;

  constructor(kafka: Kafka, registry: SchemaRegistryClient) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    this.encoder = new FastValueEncoder(registry, Topics.execEventNormalized);
  }

  async start(): Promise<void> {
    await this.encoder.start();
    await this.producer.connect();
  }

  async send(messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void> {
    if (messages.length === 0) return;
    const encoded = messages.map((m) => ({ key: m.key, value: this.encoder.encode(m.value) }));
    try {
      await this.producer.send({ topic: Topics.execEventNormalized, acks: -1, messages: encoded });
    } catch (err) {
      throw new WarmcastError('PRODUCE_FAILED', `send ${messages.length} to ${Topics.execEventNormalized}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.sent += messages.length;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
