// Forwards normalized events to exec.event.normalized.v1, keyed by userKey. send() resolves
// when the broker acknowledged every message (acks=all), so the caller may commit after it.
import kafkajs from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { Topics, ValueCodec, WarmcastError, topicSpec } from '@warmcast/kit';
import type { NormalizedEvent, NormalizedEventInput } from '@warmcast/kit';

export interface Forwarder {
  start(): Promise<void>;
  send(messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void>;
  close(): Promise<void>;
  readonly sent: number;
}

// Kafka's default max.message.bytes is 1 MiB per record batch (the embedded broker uses the
// same). One send may put all of its messages in one partition (few heavy users), so a send
// is capped at 900 KB of keys + values: 20k normalized events (~300 B) become ~7 sends.
export const MAX_REQUEST_BYTES = 900 * 1024;

export function chunkByBytes<M extends { key: string | null; value: Buffer }>(messages: readonly M[], maxBytes: number): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.value.length + (m.key?.length ?? 0) + 20; // + record overhead (varints, attributes)
    if (current.length > 0 && bytes + size > maxBytes) { chunks.push(current); current = []; bytes = 0; }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** kafkajs producer, idempotent, one request in flight: per-key order survives retries. */
export class KafkajsForwarder implements Forwarder {
  private readonly producer: Producer;
  private readonly encoder: ValueCodec<NormalizedEvent, NormalizedEventInput>;
  sent = 0;

  constructor(kafka: Kafka, registry: SchemaRegistryClient) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    this.encoder = new ValueCodec(registry, Topics.execEventNormalized, topicSpec(Topics.execEventNormalized).schemaText);
  }

  async start(): Promise<void> {
    await this.encoder.prepare();
    await this.producer.connect();
  }

  async send(messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void> {
    if (messages.length === 0) return;
    this.encoder.refreshIfStale();
    const encoded = messages.map((m) => ({ key: m.key, value: this.encoder.encodeSync(m.value) }));
    try {
      for (const chunk of chunkByBytes(encoded, MAX_REQUEST_BYTES)) await this.producer.send({ topic: Topics.execEventNormalized, acks: -1, messages: chunk });
    } catch (err) {
      throw new WarmcastError('PRODUCE_FAILED', `send ${messages.length} to ${Topics.execEventNormalized}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.sent += messages.length;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
