/**
 * Produce (key 0), advertised 0-7 (v9+ flexible). kafkajs and librdkafka both send v7.
 * Why the range starts at 0, not at 3 as CLIENT_NOTES §3 suggests: librdkafka 2.0.2 compresses
 * gzip, snappy and lz4 only when the broker's Produce range includes v0
 * (rdkafka_msgset_writer.c checks ApiVersion_supported(Produce, 0, 0) per codec); with 3-7,
 * `kcat -z gzip` logs "Broker does not support compression type gzip: not compressing batch"
 * and sends plain batches (checked with `kcat -d msg` against this broker, both ways).
 * Only record batch v2 (magic 2) is stored: a v0-2 request carrying legacy message sets
 * (magic 0/1) gets CORRUPT_MESSAGE (2) from storage's batch check, where Kafka would up-convert.
 * No client here sends v0-2 (both use the highest version they implement).
 * - acks 0: appended, no response at all (the clients expect none). acks 1 and -1 are the same
 *   on one node: answered once PartitionLog.append resolved, i.e. once the batch is durable
 *   under the fsync policy. Other acks: INVALID_REQUIRED_ACKS (21) for every partition.
 * - Batches are stored verbatim (no decompression, no per-record work); storage checks the
 *   CRC (CORRUPT_MESSAGE 2), size (MESSAGE_TOO_LARGE 10) and idempotence (45/47), and answers
 *   a duplicate idempotent batch with the original base offset and error 0, like Kafka.
 * - Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION (3); Produce does not auto-create
 *   (Kafka does not either: clients ask Metadata first).
 * - logAppendTimeMs -1 (CreateTime topics only), logStartOffset v5+.
 * Differences from Kafka: transactional batches are stored but no transaction state exists
 * (no transactional producer is supported); no throttling; v8 recordErrors not offered.
 */
import type { ProduceRequest, ProduceResponse, ProduceResponsePartitionProduceResponse, ProduceResponseTopicProduceResponse } from '@warmcast/kafka-protocol';
import type { BrokerContext } from '../server/context.ts';
import { KafkaError, toKafkaError } from '../server/error-codes.ts';
import type { ApiHandler, RequestContext } from './handler.ts';


type PartitionProduceResponse = Pick<ProduceResponsePartitionProduceResponse, 'index' | 'errorCode' | 'baseOffset' | 'logAppendTimeMs' | 'logStartOffset'>;
export type ProduceAnswer = Pick<ProduceResponse, 'throttleTimeMs'> & {
  responses: (Pick<ProduceResponseTopicProduceResponse, 'name'> & { partitionResponses: PartitionProduceResponse[] })[];
};

const failed = (index: number, errorCode: number): PartitionProduceResponse =>
  ({ index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n });

async function appendOne(broker: BrokerContext, topic: string, index: number, records: Buffer | null, nowMs: number): Promise<PartitionProduceResponse> {
  const log = broker.logs.partition(topic, index);
  if (log == null) return failed(index, KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
  if (records === null || records.length === 0) return failed(index, KafkaError.CORRUPT_MESSAGE);
  try {
    const r = await log.append(records, nowMs);
    if (!r.duplicate) broker.notifyData(topic, index);
    return { index, errorCode: 0, baseOffset: r.baseOffset, logAppendTimeMs: -1n, logStartOffset: r.logStartOffset };
  } catch (err) {
    const mapped = toKafkaError(err);
    const level = mapped.errorCode === KafkaError.UNKNOWN_SERVER_ERROR ? 'error' : 'debug';
    broker.log[level]({ topic, partition: index, errorCode: mapped.errorCode, err }, 'produce rejected');
    return { ...failed(index, mapped.errorCode), logStartOffset: log.logStartOffset };
  }
}

export const produceHandler: ApiHandler<ProduceRequest, ProduceAnswer> = {
  apiKey: 0,
  minVersion: 0, // see the header: librdkafka's codec gate
  maxVersion: 7,
  async handle(broker, request, ctx: RequestContext) {
    const acksOk = request.acks === 0 || request.acks === 1 || request.acks === -1;
    // Partitions are independent logs: append them concurrently (each log orders its own appends).
    const responses = await Promise.all(request.topicData.map(async (t) => ({
      name: t.name,
      partitionResponses: await Promise.all(t.partitionData.map((p) => acksOk
        ? appendOne(broker, t.name, p.index, p.records, ctx.nowMs)
        : Promise.resolve(failed(p.index, KafkaError.INVALID_REQUIRED_ACKS)))),
    })));
    if (request.acks === 0) return null;
    return { responses, throttleTimeMs: 0 };
  },
};
