/**
 * Kafka wire error codes the non-group handlers answer with (a closed subset of the codec's
 * ErrorCode, the repo's one table of numbers), and the mapping from StorageError codes (named
 * after Kafka's error names) to them.
 */
import { pickErrorCodes } from '@warmcast/kafka-protocol';
import { StorageError } from '../storage/index.ts';

export const KafkaError = pickErrorCodes([
  'UNKNOWN_SERVER_ERROR',
  'NONE',
  'OFFSET_OUT_OF_RANGE',
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'MESSAGE_TOO_LARGE',
  'COORDINATOR_NOT_AVAILABLE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'UNSUPPORTED_VERSION',
  'TOPIC_ALREADY_EXISTS',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'KAFKA_STORAGE_ERROR',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_RECORD',
]);

export type KafkaErrorName = keyof typeof KafkaError;

export interface MappedError {
  readonly errorCode: number;
  readonly message: string;
}

/** StorageError -> its Kafka code; anything else (a bug, an unexpected fs error) -> -1. */
export function toKafkaError(err: unknown): MappedError {
  if (err instanceof StorageError) {
    const code = (KafkaError as Record<string, number>)[err.code];
    return { errorCode: code ?? KafkaError.UNKNOWN_SERVER_ERROR, message: err.message };
  }
  return { errorCode: KafkaError.UNKNOWN_SERVER_ERROR, message: err instanceof Error ? err.message : String(err) };
}

/** Kafka's Topic.validate rules (shared with storage). */
export { topicNameProblem } from '../storage/index.ts';
