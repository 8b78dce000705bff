/** Public surface of the broker's disk storage (the package entry re-exports what it needs). */
export { DEFAULT_LOG_CONFIG, resolveLogConfig, topicLogConfig, type FsyncPolicy, type LogConfig } from './config.ts';
export { StorageError, type StorageErrorCode } from './errors.ts';
export type { StorageEvent, StorageHooks } from './events.ts';
export { PartitionLog, type AppendResult, type ReadResult } from './partition-log.ts';
export { LogManager, TOPICS_FILE, type TopicInfo } from './log-manager.ts';
export { ReadArena } from './read-arena.ts';
export { OffsetStore, type CommittedOffset, type TopicPartitionOffset } from './offset-store.ts';
export { crc32c, parseBatchHeader, BATCH_HEADER_BYTES, type BatchHeader } from './batch-header.ts';
export { topicNameProblem } from './topic-name.ts';
