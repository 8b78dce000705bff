/**
 * @warmcast/lean-client: a lean Kafka group consumer and producer (LeanProducer: Produce v7,
 * acks=all, murmur2 partitioner) on @warmcast/kafka-protocol. Its object has
 * the shape of the part of kafkajs's Consumer the kit's BatchConsumerLoop uses, so the loop runs
 * on either. Record batches: every Kafka codec (none, gzip, snappy raw and xerial-framed, lz4
 * frame, zstd); a batch that still cannot be decoded goes to run()'s eachUndecodableBatch.
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
export { CODEC_NAMES, decodeRecordSet } from './core/records.ts';
export type { DecodeOptions, DecodedRecordSet, LeanMessage, UndecodableBatch } from './core/records.ts';
export { MAX_DECOMPRESSED_BYTES, allDecompressors, unlz4, unsnappy, unzstd } from './codecs.ts';
export { silentLogger } from './types.ts';
export type { LeanBatch, LeanBatchPayload, LeanLogger, LeanRunConfig, LeanUndecodableBatch, LeanUndecodablePayload } from './types.ts';
