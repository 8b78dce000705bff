/**
 * ListOffsets (key 2), versions 1-3 (v0 uses the old offsets array; v6+ flexible).
 * kafkajs sends v3, librdkafka v2.
 * - timestamp -1 (latest): the high watermark (= last stable offset: no transactions exist,
 *   so read_committed and read_uncommitted agree); -2 (earliest): logStartOffset.
 *   Both answer timestamp -1, like Kafka.
 * - Any other timestamp: the first offset whose batch max timestamp is >= it
 *   (PartitionLog.offsetForTimestamp); none -> offset -1, timestamp -1 (Kafka's answer).
 * - Unknown partition: UNKNOWN_TOPIC_OR_PARTITION (3).
 * Differences from Kafka: the returned timestamp for a lookup is the requested one when
 * storage does not report the record's own timestamp; -3 (max timestamp, KIP-734, v7+) is not offered.
 */
import type { ListOffsetsRequest, ListOffsetsResponse, ListOffsetsResponseListOffsetsPartitionResponse } from '@warmcast/kafka-protocol';
import { KafkaError, toKafkaError } from '../server/error-codes.ts';
import type { ApiHandler } from './handler.ts';

type PartitionResponse = Pick<ListOffsetsResponseListOffsetsPartitionResponse, 'partitionIndex' | 'errorCode' | 'timestamp' | 'offset'>;
export type ListOffsetsAnswer = Pick<ListOffsetsResponse, 'throttleTimeMs'> & { topics: { name: string; partitions: PartitionResponse[] }[] };

const LATEST = -1n;
const EARLIEST = -2n;

export const listOffsetsHandler: ApiHandler<ListOffsetsRequest, ListOffsetsAnswer> = {
  apiKey: 2,
  minVersion: 1,
  maxVersion: 3,
  async handle(broker, request) {
    const topics = await Promise.all(request.topics.map(async (t) => ({
      name: t.name,
      partitions: await Promise.all(t.partitions.map(async (p): Promise<PartitionResponse> => {
        const base = { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1n };
        const log = broker.logs.partition(t.name, p.partitionIndex);
        if (log == null) return { ...base, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, offset: -1n };
        if (p.timestamp === LATEST) return { ...base, offset: log.highWatermark };
        if (p.timestamp === EARLIEST) return { ...base, offset: log.logStartOffset };
        try {
          const offset = await log.offsetForTimestamp(p.timestamp);
          return offset === null ? { ...base, offset: -1n } : { ...base, timestamp: p.timestamp, offset };
        } catch (err) {
          return { ...base, errorCode: toKafkaError(err).errorCode, offset: -1n };
        }
      })),
    })));
    return { throttleTimeMs: 0, topics };
  },
};
