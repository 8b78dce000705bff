/**
 * CreatePartitions (key 37), versions 0-1 (v2+ flexible). kafkajs sends v1, librdkafka v0.
 * count is the new TOTAL; it must be larger than the current count, else INVALID_PARTITIONS
 * (37). Unknown topic: UNKNOWN_TOPIC_OR_PARTITION (3). Manual assignments:
 * INVALID_REPLICA_ASSIGNMENT (39). validateOnly: checks only.
 */
import type { CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsResponseCreatePartitionsTopicResult } from '@warmcast/kafka-protocol';
import { KafkaError, toKafkaError } from '../server/error-codes.ts';
import { partitionCount } from '../server/topic-info.ts';
import type { ApiHandler } from './handler.ts';

type Result = Pick<CreatePartitionsResponseCreatePartitionsTopicResult, 'name' | 'errorCode' | 'errorMessage'>;
export type CreatePartitionsAnswer = Pick<CreatePartitionsResponse, 'throttleTimeMs'> & { results: Result[] };

export const createPartitionsHandler: ApiHandler<CreatePartitionsRequest, CreatePartitionsAnswer> = {
  apiKey: 37,
  minVersion: 0,
  maxVersion: 1,
  async handle(broker, request) {
    const results: Result[] = [];
    for (const t of request.topics) {
      const current = partitionCount(broker.logs, t.name);
      if (current === undefined) { results.push({ name: t.name, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic ${t.name} does not exist` }); continue; }
      if (t.assignments !== null && t.assignments.length > 0) {
        results.push({ name: t.name, errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT, errorMessage: 'manual assignments are not supported by this single-node broker' });
        continue;
      }
      if (!(t.count > current)) {
        results.push({ name: t.name, errorCode: KafkaError.INVALID_PARTITIONS, errorMessage: `Topic currently has ${current} partitions, which is higher than or equal to the requested ${t.count}.` });
        continue;
      }
      if (request.validateOnly) { results.push({ name: t.name, errorCode: 0, errorMessage: null }); continue; }
      try {
        await broker.logs.createPartitions(t.name, t.count);
        broker.log.info({ topic: t.name, from: current, to: t.count }, 'added partitions');
        results.push({ name: t.name, errorCode: 0, errorMessage: null });
      } catch (err) {
        const mapped = toKafkaError(err);
        results.push({ name: t.name, errorCode: mapped.errorCode, errorMessage: mapped.message });
      }
    }
    return { throttleTimeMs: 0, results };
  },
};
