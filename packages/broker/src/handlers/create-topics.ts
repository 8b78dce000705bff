/**
 * CreateTopics (key 19), versions 0-4 (v5+ flexible). kafkajs sends v3, librdkafka v4.
 * - numPartitions -1 = the broker's defaultPartitions; 0 or < -1: INVALID_PARTITIONS (37).
 * - replicationFactor 1 or -1 (the clients' defaults) accepted; anything else
 *   INVALID_REPLICATION_FACTOR (38): this is one node. Manual assignments: INVALID_REQUEST (42).
 * - Existing topic: TOPIC_ALREADY_EXISTS (36) (kafkajs admin.createTopics then returns false).
 *   Illegal name: INVALID_TOPIC_EXCEPTION (17). A name twice in one request: INVALID_REQUEST.
 * - Topic configs are passed to storage (it honours retention.ms, retention.bytes,
 *   segment.bytes, max.message.bytes); a bad value is INVALID_CONFIG (40).
 * - validateOnly (v1+): all checks, nothing created.
 * Differences from Kafka: creation is synchronous, so timeoutMs is not needed.
 */
import type { CreateTopicsRequest, CreateTopicsResponse, CreateTopicsResponseCreatableTopicResult } from '@warmcast/kafka-protocol';
import { KafkaError, toKafkaError, topicNameProblem } from '../server/error-codes.ts';
import type { ApiHandler } from './handler.ts';

type TopicResult = Pick<CreateTopicsResponseCreatableTopicResult, 'name' | 'errorCode' | 'errorMessage'>;
export type CreateTopicsAnswer = Pick<CreateTopicsResponse, 'throttleTimeMs'> & { topics: TopicResult[] };

export const createTopicsHandler: ApiHandler<CreateTopicsRequest, CreateTopicsAnswer> = {
  apiKey: 19,
  minVersion: 0,
  maxVersion: 4,
  async handle(broker, request) {
    const seen = new Map<string, number>();
    for (const t of request.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
    const topics: TopicResult[] = [];
    for (const t of request.topics) {
      const fail = (errorCode: number, errorMessage: string): void => { topics.push({ name: t.name, errorCode, errorMessage }); };
      const nameProblem = topicNameProblem(t.name);
      const partitions = t.numPartitions === -1 ? broker.config.defaultPartitions : t.numPartitions;
      if ((seen.get(t.name) ?? 0) > 1) { fail(KafkaError.INVALID_REQUEST, `topic ${t.name} appears more than once in the request`); continue; }
      if (nameProblem !== undefined) { fail(KafkaError.INVALID_TOPIC_EXCEPTION, nameProblem); continue; }
      if (broker.logs.hasTopic(t.name)) { fail(KafkaError.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`); continue; }
      if (t.assignments.length > 0) { fail(KafkaError.INVALID_REQUEST, 'manual replica assignments are not supported by this single-node broker'); continue; }
      if (!(partitions >= 1)) { fail(KafkaError.INVALID_PARTITIONS, `numPartitions ${t.numPartitions} must be >= 1 or -1`); continue; }
      if (t.replicationFactor !== 1 && t.replicationFactor !== -1) {
        fail(KafkaError.INVALID_REPLICATION_FACTOR, `replicationFactor ${t.replicationFactor} is larger than the 1 available broker`);
        continue;
      }
      const configs: Record<string, string> = {};
      for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
      if (request.validateOnly === true) { topics.push({ name: t.name, errorCode: 0, errorMessage: null }); continue; }
      try {
        await broker.logs.createTopic(t.name, partitions, configs);
        broker.log.info({ topic: t.name, partitions }, 'created topic');
        topics.push({ name: t.name, errorCode: 0, errorMessage: null });
      } catch (err) {
        const mapped = toKafkaError(err);
        fail(mapped.errorCode, mapped.message);
      }
    }
    return { throttleTimeMs: 0, topics };
  },
};
