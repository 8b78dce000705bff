/**
 * DescribeConfigs (key 32), versions 0-2 (v4+ flexible; kafkajs uses up to 2, librdkafka 0-1).
 * Minimal: what this broker actually honours.
 * - TOPIC (2): cleanup.policy=delete (read-only: no compaction), retention.ms, retention.bytes,
 *   segment.bytes, max.message.bytes (effective values: the topic's override, source
 *   TOPIC_CONFIG 1, else the broker's value, source DEFAULT_CONFIG 5), plus any other config
 *   the topic was created with (stored, not interpreted). Unknown topic: UNKNOWN_TOPIC_OR_PARTITION (3).
 * - BROKER (4) with this node id or "": broker.id, num.partitions, auto.create.topics.enable,
 *   log.retention.ms, log.retention.bytes, log.segment.bytes, message.max.bytes (read-only).
 * - Other resource types: INVALID_REQUEST (42). configurationKeys filters; synonyms are empty.
 * Differences from Kafka: a handful of keys instead of Kafka's ~40 per topic; AlterConfigs is
 * not offered, so every value is effectively read-only.
 */
import type { DescribeConfigsRequest, DescribeConfigsResponse, DescribeConfigsResponseDescribeConfigsResourceResult, DescribeConfigsResponseDescribeConfigsResult } from '@warmcast/kafka-protocol';
import type { BrokerContext } from '../server/context.ts';
import { logConfigOf } from '../server/config.ts';
import { KafkaError } from '../server/error-codes.ts';
import { topicLogConfig } from '../storage/index.ts';
import type { ApiHandler } from './handler.ts';

type ConfigEntry = Pick<DescribeConfigsResponseDescribeConfigsResourceResult, 'name' | 'value' | 'readOnly' | 'isDefault' | 'configSource' | 'isSensitive'> & { synonyms: never[] };
type Result = Pick<DescribeConfigsResponseDescribeConfigsResult, 'errorCode' | 'errorMessage' | 'resourceType' | 'resourceName'> & { configs: ConfigEntry[] };
export type DescribeConfigsAnswer = Pick<DescribeConfigsResponse, 'throttleTimeMs'> & { results: Result[] };

const TOPIC = 2;
const BROKER = 4;
const TOPIC_CONFIG = 1;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;

const entry = (name: string, value: string, source: number, readOnly = false): ConfigEntry =>
  ({ name, value, readOnly, isDefault: source === DEFAULT_CONFIG, configSource: source, isSensitive: false, synonyms: [] });

function topicConfigs(broker: BrokerContext, name: string): ConfigEntry[] | undefined {
  const info = broker.logs.topics().find((t) => t.name === name);
  if (info === undefined) return undefined;
  const base = logConfigOf(broker.config);
  const eff = topicLogConfig(base, info.configs);
  const src = (key: string): number => (key in info.configs ? TOPIC_CONFIG : DEFAULT_CONFIG);
  const known: ConfigEntry[] = [
    entry('cleanup.policy', 'delete', DEFAULT_CONFIG, true),
    entry('retention.ms', String(eff.retentionMs), src('retention.ms')),
    entry('retention.bytes', String(eff.retentionBytes), src('retention.bytes')),
    entry('segment.bytes', String(eff.segmentBytes), src('segment.bytes')),
    entry('max.message.bytes', String(eff.maxBatchBytes), src('max.message.bytes')),
  ];
  const names = new Set(known.map((e) => e.name));
  const extra = Object.entries(info.configs).filter(([k]) => !names.has(k)).map(([k, v]) => entry(k, v, TOPIC_CONFIG));
  return [...known, ...extra];
}

function brokerConfigs(broker: BrokerContext): ConfigEntry[] {
  const log = logConfigOf(broker.config);
  return [
    entry('broker.id', String(broker.nodeId), STATIC_BROKER_CONFIG, true),
    entry('num.partitions', String(broker.config.defaultPartitions), STATIC_BROKER_CONFIG, true),
    entry('auto.create.topics.enable', String(broker.config.autoCreateTopics), STATIC_BROKER_CONFIG, true),
    entry('log.retention.ms', String(log.retentionMs), STATIC_BROKER_CONFIG, true),
    entry('log.retention.bytes', String(log.retentionBytes), STATIC_BROKER_CONFIG, true),
    entry('log.segment.bytes', String(log.segmentBytes), STATIC_BROKER_CONFIG, true),
    entry('message.max.bytes', String(log.maxBatchBytes), STATIC_BROKER_CONFIG, true),
  ];
}

export const describeConfigsHandler: ApiHandler<DescribeConfigsRequest, DescribeConfigsAnswer> = {
  apiKey: 32,
  minVersion: 0,
  maxVersion: 2,
  handle(broker, request) {
    const results = request.resources.map((r): Result => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let configs: ConfigEntry[] | undefined;
      if (r.resourceType === TOPIC) {
        configs = topicConfigs(broker, r.resourceName);
        if (configs === undefined) return { ...base, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic ${r.resourceName} does not exist`, configs: [] };
      } else if (r.resourceType === BROKER && (r.resourceName === '' || r.resourceName === String(broker.nodeId))) {
        configs = brokerConfigs(broker);
      } else {
        return { ...base, errorCode: KafkaError.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} "${r.resourceName}" is not described by this broker`, configs: [] };
      }
      const keys = r.configurationKeys;
      return { ...base, errorCode: 0, errorMessage: null, configs: keys === null ? configs : configs.filter((c) => keys.includes(c.name)) };
    });
    return { throttleTimeMs: 0, results };
  },
};
