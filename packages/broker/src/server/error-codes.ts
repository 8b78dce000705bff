/**
 * Kafka wire error codes the non-group handlers answer with (Kafka 3.8.0 Errors.java), and the
 * mapping from StorageError codes (named after Kafka's error names) to them.
 */
import { StorageError } from '../storage/index.ts';

export const KafkaError = Object.freeze({
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_PRODUCER_ID: 59,
  INVALID_RECORD: 87,
});

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
