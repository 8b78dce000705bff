// Prometheus metrics of the kit. Labels are bounded (topic, partition, reason code): never a
// user id or key, which would create one series per user (millions) and sink Prometheus.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface KitMetrics {
  readonly registry: Registry;
  readonly consumed: Counter<'topic'>;
  readonly produced: Counter<'topic'>;
  readonly deadLettered: Counter<'topic' | 'reason'>;
  readonly retries: Counter<'topic'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly handlerSeconds: Histogram<'topic'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): KitMetrics {
  const registry = new Registry();
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'warmcast_' });
  return {
    registry,
    consumed: new Counter({ name: 'warmcast_messages_consumed_total', help: 'Messages handled and committed (acked), per topic.', labelNames: ['topic'], registers: [registry] }),
    produced: new Counter({ name: 'warmcast_messages_produced_total', help: 'Messages acknowledged by the broker, per topic.', labelNames: ['topic'], registers: [registry] }),
    deadLettered: new Counter({ name: 'warmcast_messages_deadlettered_total', help: 'Messages sent to the dead-letter topic, per source topic and reason code.', labelNames: ['topic', 'reason'], registers: [registry] }),
    retries: new Counter({ name: 'warmcast_handler_retries_total', help: 'Handler attempts retried after a retriable failure, per topic.', labelNames: ['topic'], registers: [registry] }),
    consumerLag: new Gauge({ name: 'warmcast_consumer_lag_messages', help: 'High watermark minus next offset to process, per topic and partition.', labelNames: ['topic', 'partition'], registers: [registry] }),
    // Buckets from 1 ms to 10 s: a handler writes to ClickHouse or Kafka (~1-50 ms) or retries.
    handlerSeconds: new Histogram({ name: 'warmcast_handler_duration_seconds', help: 'Handler time per message attempt, seconds.', labelNames: ['topic'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] }),
  };
}
