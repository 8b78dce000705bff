/**
 * DeleteTopics (key 20), versions 0-1 (v4+ flexible). Both clients send v1.
 * Deletes the topic's logs, then tells the group coordinator (groups.onTopicDeleted) so
 * committed offsets of that topic go too, as Kafka does. Unknown topic:
 * UNKNOWN_TOPIC_OR_PARTITION (3). Differences from Kafka: deletion is synchronous.
 */
import type { DeleteTopicsRequest, DeleteTopicsResponse, DeleteTopicsResponseDeletableTopicResult } from '@warmcast/kafka-protocol';
import { KafkaError, toKafkaError } from '../server/error-codes.ts';
import type { ApiHandler } from './handler.ts';

type TopicResult = Pick<DeleteTopicsResponseDeletableTopicResult, 'errorCode'> & { name: string };
export type DeleteTopicsAnswer = Pick<DeleteTopicsResponse, 'throttleTimeMs'> & { responses: TopicResult[] };

export const deleteTopicsHandler: ApiHandler<DeleteTopicsRequest, DeleteTopicsAnswer> = {
  apiKey: 20,
  minVersion: 0,
  maxVersion: 1,
  async handle(broker, request) {
    const responses: TopicResult[] = [];
    for (const name of request.topicNames) {
      if (!broker.logs.hasTopic(name)) { responses.push({ name, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION }); continue; }
      try {
        await broker.logs.deleteTopic(name);
        broker.groups.onTopicDeleted(name);
        broker.log.info({ topic: name }, 'deleted topic');
        responses.push({ name, errorCode: 0 });
      } catch (err) {
        responses.push({ name, errorCode: toKafkaError(err).errorCode });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
