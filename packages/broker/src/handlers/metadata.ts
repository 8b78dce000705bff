/**
 * Metadata (key 3), versions 0-6 (v9+ flexible; kafkajs uses v6, librdkafka v4).
 * - One broker: this node at the advertised host/port; controllerId = nodeId; clusterId fixed.
 * - Topics null (v1+) = all topics; [] = none (v1+; in v0 an empty list means all, as in Kafka).
 * - Unknown topic: auto-created when the request allows it (allowAutoTopicCreation, v4+; always
 *   for v0-3) and the broker's autoCreateTopics is on, with defaultPartitions partitions; that
 *   topic is answered LEADER_NOT_AVAILABLE (5) this once, like Kafka, and clients retry.
 *   Otherwise UNKNOWN_TOPIC_OR_PARTITION (3). Illegal names: INVALID_TOPIC_EXCEPTION (17).
 * - Every partition: leader = nodeId, replicas = isr = [nodeId], no offline replicas.
 * Differences from Kafka: no racks, no authorized operations (v8+ is not offered anyway).
 */
import type { MetadataRequest, MetadataResponse as MetadataSpec, MetadataResponseMetadataResponseBroker, MetadataResponseMetadataResponsePartition, MetadataResponseMetadataResponseTopic } from '@warmcast/kafka-protocol';
import type { BrokerContext } from '../server/context.ts';
import { KafkaError, toKafkaError, topicNameProblem } from '../server/error-codes.ts';
import { partitionCount, topicNames } from '../server/topic-info.ts';
import type { ApiHandler, RequestContext } from './handler.ts';


type MetadataPartition = Pick<MetadataResponseMetadataResponsePartition, 'errorCode' | 'partitionIndex' | 'leaderId' | 'leaderEpoch'
  | 'replicaNodes' | 'isrNodes' | 'offlineReplicas'>;
type MetadataTopic = Pick<MetadataResponseMetadataResponseTopic, 'errorCode' | 'name' | 'isInternal'> & { partitions: MetadataPartition[] };

export type MetadataResponse = Pick<MetadataSpec, 'throttleTimeMs' | 'clusterId' | 'controllerId'> & {
  brokers: Pick<MetadataResponseMetadataResponseBroker, 'nodeId' | 'host' | 'port' | 'rack'>[];
  topics: MetadataTopic[];
};

function describe(broker: BrokerContext, name: string, count: number): MetadataTopic {
  const partitions: MetadataPartition[] = [];
  for (let p = 0; p < count; p++) {
    partitions.push({
      errorCode: 0, partitionIndex: p, leaderId: broker.nodeId, leaderEpoch: 0,
      replicaNodes: [broker.nodeId], isrNodes: [broker.nodeId], offlineReplicas: [],
    });
  }
  return { errorCode: 0, name, isInternal: false, partitions };
}

const failed = (name: string, errorCode: number): MetadataTopic => ({ errorCode, name, isInternal: false, partitions: [] });

async function answerFor(broker: BrokerContext, name: string, autoCreate: boolean): Promise<MetadataTopic> {
  const count = partitionCount(broker.logs, name);
  if (count !== undefined) return describe(broker, name, count);
  if (topicNameProblem(name) !== undefined) return failed(name, KafkaError.INVALID_TOPIC_EXCEPTION);
  if (!autoCreate) return failed(name, KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    await broker.logs.createTopic(name, broker.config.defaultPartitions, {});
    broker.log.info({ topic: name, partitions: broker.config.defaultPartitions }, 'auto-created topic');
    return failed(name, KafkaError.LEADER_NOT_AVAILABLE);
  } catch (err) {
    const mapped = toKafkaError(err);
    // Lost a race with another creator: the topic exists now, describe it.
    if (mapped.errorCode === KafkaError.TOPIC_ALREADY_EXISTS) return describe(broker, name, partitionCount(broker.logs, name) ?? 0);
    broker.log.warn({ topic: name, err }, 'auto-creating topic failed');
    return failed(name, mapped.errorCode);
  }
}

export const metadataHandler: ApiHandler<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  minVersion: 0,
  maxVersion: 6,
  async handle(broker, request, ctx: RequestContext) {
    const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
    let topics: MetadataTopic[];
    if (all) {
      topics = topicNames(broker.logs).map((name) => describe(broker, name, partitionCount(broker.logs, name) ?? 0));
    } else {
      const autoCreate = broker.config.autoCreateTopics && (ctx.apiVersion < 4 || request.allowAutoTopicCreation !== false);
      topics = [];
      // Sequential: two entries with the same new name must not both try to create it.
      for (const t of request.topics ?? []) topics.push(await answerFor(broker, t.name ?? '', autoCreate));
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: broker.nodeId, host: broker.host, port: broker.port, rack: null }],
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      topics,
    };
  },
};
