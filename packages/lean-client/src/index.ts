/**
 * @warmcast/lean-client: a lean Kafka group consumer and producer (LeanProducer: Produce v7,
 * acks=all, murmur2 partitioner) on @warmcast/kafka-protocol. Its object has
 * the shape of the part of kafkajs's Consumer the kit's BatchConsumerLoop uses, so the loop runs
 * on either. Record batches: uncompressed and gzip; snappy, lz4 and zstd fail with
 * UNSUPPORTED_COMPRESSION naming the codec.
 */
export { LeanProducer, MAX_BATCH_BYTES } from './producer.ts';
export type { LeanProducerOptions, ProducerRecord } from './producer.ts';
export { KeyCache, murmur2, partitionOf } from './core/partitioner.ts';
export { encodePlainBatch } from './core/record-batch.ts';
export type { PlainRecord } from './core/record-batch.ts';
export { LeanConsumer } from './consumer.ts';
export type { LeanConsumerOptions } from './consumer.ts';
export { LeanClientError, LEAN_ERROR_CODES, isRetriable } from './errors.ts';
export type { LeanErrorCode } from './errors.ts';
export { CO_PARTITIONED_PROTOCOL, coPartition, coPartitionedAssigner } from './core/assignment.ts';
export type { Assigner, GroupMember, TopicPartitions } from './core/assignment.ts';
export { decodeRecordSet } from './core/records.ts';
export type { LeanMessage } from './core/records.ts';
export { silentLogger } from './types.ts';
export type { LeanBatch, LeanBatchPayload, LeanLogger, LeanRunConfig } from './types.ts';
