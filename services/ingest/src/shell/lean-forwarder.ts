// STUB (API only; implementation follows): a lean producer for the normalized topic over one
// socket per broker (Produce v3+, one whole record batch per partition, @warmcast/kafka-protocol's
// encodeRecordBatch / encodeRequest), for when kafkajs's per-record JS encoding is the bottleneck.
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { WarmcastError } from '@warmcast/kit';
import type { Logger, NormalizedEventInput } from '@warmcast/kit';
import type { Forwarder } from './forwarder.ts';

export interface LeanForwarderOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: SchemaRegistryClient;
  readonly log: Logger;
}

export class LeanForwarder implements Forwarder {
  sent = 0;
  constructor(private readonly o: LeanForwarderOptions) {}
  start(): Promise<void> { return Promise.reject(new WarmcastError('CONFIG_INVALID', `forwarder=lean is not implemented yet (brokers ${this.o.brokers.join(',')})`)); }
  send(_messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void> { return Promise.reject(new WarmcastError('SHUTDOWN', 'lean forwarder not started')); }
  close(): Promise<void> { return Promise.resolve(); }
}
