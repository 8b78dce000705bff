// createProfilerService: the kit's composition root (HTTP probes, schema registration, typed
// producer) plus the profiler's own consumer (profiler-consumer.ts). The consumer is registered
// as a kit "sink" component: sinks start after the producer and close before it, which is the
// order a consumer needs (stop consuming, then close the producer).
import { KitService } from '@warmcast/kit';
import type { ProfilerService, ProfilerServiceOptions } from './service-types.ts';
import { profilerOptions } from './core/options.ts';
import { ProfilerConsumer } from './shell/profiler-consumer.ts';
import { DEFAULT_PRODUCER, LeanProfilerProducer } from './shell/lean-profiler-producer.ts';
import { ModelFeed } from './shell/model-feed.ts';

export function createProfilerService(options: ProfilerServiceOptions): ProfilerService {
  const opts = profilerOptions(options);
  const kit = new KitService({ config: options.config, ...(options.logger ? { logger: options.logger } : {}) });
  const log = kit.log.child({ unit: 'profiler' });
  const kind = options.producer ?? DEFAULT_PRODUCER;
  const lean = kind === 'lean' ? new LeanProfilerProducer(kit.producer, { brokers: options.config.kafkaBrokers, clientId: options.config.clientId, log }) : undefined;
  const groupId = options.groupId ?? options.config.groupId;
  // the published global models: read to their end before the consumer folds anything, closed after it
  const models = (options.globalModels ?? true) ? new ModelFeed({ kafka: kit.kafka, producer: kit.producer, groupPrefix: groupId, log }) : undefined;
  if (models) kit.addSink({ name: 'profiler model feed', start: () => models.start(), close: () => models.close() });
  const consumer = new ProfilerConsumer({
    kafka: kit.kafka, producer: lean ?? kit.producer, groupId, clientId: options.config.clientId,
    options: opts, fromBeginning: options.fromBeginning ?? true, log, ...(models ? { models } : {}),
  });
  kit.addSink({ name: 'profiler consumer', start: () => consumer.start(), close: () => consumer.close() });
  return {
    start: async () => {
      await kit.start();
      log.info({ tickMs: opts.tickMs, horizons: opts.horizons, activeMs: opts.activeMs, producer: kind }, 'profiler started');
    },
    // the consumer (a kit sink) stops and drains inside kit.close(); the lean producer after it
    close: async () => {
      try { await kit.close(); } finally { await lean?.close(); }
    },
    stats: () => ({ ...consumer.stats(), ...(models ? models.counters : {}) }),
  };
}
