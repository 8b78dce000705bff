/**
 * InitProducerId (key 22), versions 0-4 (v2+ flexible). kafkajs sends v1 (idempotent
 * producer, to the controller), librdkafka v4 with enable.idempotence (CLIENT_NOTES §3).
 * Advertised from 0 because librdkafka's IdempotentProducer feature needs v0 (§2.3).
 * - transactionalId null: a fresh producer id from the persisted allocator
 *   (<dataDir>/producer-ids.json, blocks of 1000, never reused after a restart), epoch 0.
 * - v3+ with an existing producerId/epoch (librdkafka recovering after a fatal idempotence
 *   error): same id, epoch + 1; at epoch 32767 a new id with epoch 0 (Kafka's rule).
 * - transactionalId non-null: no transaction coordinator here. Kafka answers a broker without
 *   one with COORDINATOR_NOT_AVAILABLE (15), which we copy; clients retry, then give up.
 */
import type { InitProducerIdRequest, InitProducerIdResponse } from '@warmcast/kafka-protocol';
import { KafkaError } from '../server/error-codes.ts';
import type { ApiHandler } from './handler.ts';

export type InitProducerIdAnswer = Pick<InitProducerIdResponse, 'throttleTimeMs' | 'errorCode' | 'producerId' | 'producerEpoch'>;

const MAX_EPOCH = 32767;

export const initProducerIdHandler: ApiHandler<InitProducerIdRequest, InitProducerIdAnswer> = {
  apiKey: 22,
  minVersion: 0,
  maxVersion: 4,
  async handle(broker, request) {
    if (request.transactionalId !== null && request.transactionalId !== '') {
      return { throttleTimeMs: 0, errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, producerId: -1n, producerEpoch: -1 };
    }
    const pid = request.producerId ?? -1n;
    const epoch = request.producerEpoch ?? -1;
    if (pid >= 0n && epoch >= 0 && epoch < MAX_EPOCH) {
      return { throttleTimeMs: 0, errorCode: 0, producerId: pid, producerEpoch: epoch + 1 };
    }
    return { throttleTimeMs: 0, errorCode: 0, producerId: await broker.nextProducerId(), producerEpoch: 0 };
  },
};
