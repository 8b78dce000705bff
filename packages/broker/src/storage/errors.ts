/**
 * Storage errors are data: a closed list of codes named after Kafka's error names so the
 * server maps them 1:1 to wire error codes (CORRUPT_MESSAGE = 2, OFFSET_OUT_OF_RANGE = 1, ...).
 *
 * | code                          | Kafka | retriable | when                                            |
 * |-------------------------------|------:|:---------:|-------------------------------------------------|
 * | CORRUPT_MESSAGE               |     2 | yes       | CRC-32C mismatch, bad magic, inconsistent length |
 * | OFFSET_OUT_OF_RANGE           |     1 | no        | read below logStartOffset or above the HWM       |
 * | MESSAGE_TOO_LARGE             |    10 | no        | one batch > maxBatchBytes                        |
 * | OUT_OF_ORDER_SEQUENCE_NUMBER  |    45 | no        | sequence gap, or new epoch not at sequence 0     |
 * | DUPLICATE_SEQUENCE_NUMBER     |    46 | no        | (reserved: duplicates answer success instead)    |
 * | INVALID_PRODUCER_EPOCH        |    47 | no        | producer epoch older than the known one          |
 * | UNKNOWN_PRODUCER_ID           |    59 | no        | (reserved)                                       |
 * | INVALID_RECORD                |    87 | no        | recordCount <= 0 or lastOffsetDelta != count - 1 |
 * | UNKNOWN_TOPIC_OR_PARTITION    |     3 | yes       | topic/partition does not exist                   |
 * | TOPIC_ALREADY_EXISTS          |    36 | no        | createTopic on an existing name                  |
 * | INVALID_PARTITIONS            |    37 | no        | partition count < 1, or createPartitions shrinks |
 * | INVALID_TOPIC_EXCEPTION       |    17 | no        | illegal topic name                               |
 * | INVALID_CONFIG                |    40 | no        | bad topic config value                           |
 * | KAFKA_STORAGE_ERROR           |    56 | yes       | an fs call failed (cause has the errno)          |
 */
export type StorageErrorCode =
  | 'CORRUPT_MESSAGE'
  | 'OFFSET_OUT_OF_RANGE'
  | 'MESSAGE_TOO_LARGE'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'DUPLICATE_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'UNKNOWN_PRODUCER_ID'
  | 'INVALID_RECORD'
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'TOPIC_ALREADY_EXISTS'
  | 'INVALID_PARTITIONS'
  | 'INVALID_TOPIC_EXCEPTION'
  | 'INVALID_CONFIG'
  | 'KAFKA_STORAGE_ERROR';

const RETRIABLE: ReadonlySet<StorageErrorCode> = new Set<StorageErrorCode>([
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'KAFKA_STORAGE_ERROR',
]);

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly retriable: boolean;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
    this.retriable = RETRIABLE.has(code);
  }
}

/** Wraps an fs failure (EIO, ENOSPC, EBADF...) so callers see one code with the errno as cause. */
export function storageFailure(what: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  return new StorageError('KAFKA_STORAGE_ERROR', `${what}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
}
