// The published global models (forecast.model.published.v1) as the profiler sees them: read from
// the beginning at start (start() resolves once the topic's end at that moment is read, so the
// first batch is folded with every version published before the profiler started), then followed
// while running; each new combiner version is handed to the listeners (the consumer offers it to
// its partitions). kafkajs has no manual assignment: a throwaway consumer group of its own, as
// the changelog reader. Records of other kinds are skipped; an undecodable or unservable record
// is logged and counted, never applied (it stays in the topic: nothing is lost).
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { Topics } from '@warmcast/kit';
import type { ForecastModel, Logger, TypedProducer } from '@warmcast/kit';
import { combinerVersionProblem } from '@warmcast/forecast';
import type { CombinerVersion } from '@warmcast/forecast';

export const COMBINER_KIND = 'combiner';

/** What the consumer needs of the feed (a test passes a plain list). */
export interface ModelSource {
  current(): readonly CombinerVersion[];
  onVersion(listener: (v: CombinerVersion) => void): void;
}

/** A decoded record as a combiner version; undefined for other kinds. */
export function combinerOf(r: ForecastModel): CombinerVersion | undefined {
  if (r.kind !== COMBINER_KIND) return undefined;
  return {
    version: r.version, trainedThroughMinute: r.trainedThroughMinute, effectiveFromMinute: r.effectiveFromMinute, featureNames: r.featureNames,
    coefficientsByBand: r.coefficientsByBand, rowsByBand: r.rowsByBand, hourOfDay: r.hourOfDay, bands: r.bands, l2: r.l2, prior: r.prior, users: r.users,
  };
}

export interface ModelFeedCounters {
  /** combiner versions known (distinct) */
  modelVersions: number;
  /** records that did not decode or cannot be served (logged with the reason) */
  modelsUnreadable: number;
}

export class ModelFeed implements ModelSource {
  private consumer: Consumer | undefined;
  private readonly versions = new Map<number, CombinerVersion>();
  private readonly listeners: ((v: CombinerVersion) => void)[] = [];
  readonly counters: ModelFeedCounters = { modelVersions: 0, modelsUnreadable: 0 };

  constructor(private readonly o: { kafka: Kafka; producer: Pick<TypedProducer, 'codec'>; groupPrefix: string; log: Logger }) {}

  current(): readonly CombinerVersion[] {
    return [...this.versions.values()].sort((a, b) => a.version - b.version);
  }

  onVersion(listener: (v: CombinerVersion) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const topic = Topics.forecastModelPublished;
    const admin = this.o.kafka.admin();
    await admin.connect();
    let ends: { partition: number; high: string; low: string }[];
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        // a deployment whose topics predate the trainer: serve no global models (the profiler as before)
        this.o.log.warn({ topic }, 'model topic missing: no global models served (create it with `warmcast topics create`)');
        return;
      }
      ends = await admin.fetchTopicOffsets(topic);
    } finally {
      await admin.disconnect();
    }
    const remaining = new Map<number, number>();
    for (const e of ends) if (Number(e.high) > Number(e.low)) remaining.set(e.partition, Number(e.high) - 1);
    const codec = this.o.producer.codec(topic);
    // a fetch waits at most 1 s on the (nearly always idle) topic: close() waits for the fetch in
    // flight, and with kafkajs's 5 s default the profiler's close (its own consumer + this one)
    // came to ~10 s, the kit's shutdown limit
    const consumer = this.o.kafka.consumer({ groupId: `${this.o.groupPrefix}.models.${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 1000 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let caughtUp: () => void = () => undefined;
    const initial = new Promise<void>((resolve, reject) => {
      caughtUp = resolve;
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
    if (remaining.size === 0) caughtUp();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const d = codec.decodeSync(message.value) ?? (await codec.decode(message.value));
        if (!d.ok) {
          this.counters.modelsUnreadable++;
          this.o.log.error({ topic, partition, offset: message.offset, reason: d.code }, 'model record does not decode; skipped');
        } else this.accept(d.value, partition, message.offset);
        const last = remaining.get(partition);
        if (last !== undefined && Number(message.offset) >= last) {
          remaining.delete(partition);
          if (remaining.size === 0) caughtUp();
        }
      },
    });
    await initial;
    this.o.log.info({ versions: this.current().map((v) => [v.version, v.effectiveFromMinute]) }, 'global models read');
  }

  private accept(r: ForecastModel, partition: number, offset: string): void {
    const v = combinerOf(r);
    if (!v || this.versions.has(v.version)) return;
    const problem = combinerVersionProblem(v);
    if (problem !== undefined) {
      this.counters.modelsUnreadable++;
      this.o.log.error({ topic: Topics.forecastModelPublished, partition, offset, modelKey: r.modelKey, problem }, 'model version cannot be served; skipped');
      return;
    }
    this.versions.set(v.version, v);
    this.counters.modelVersions = this.versions.size;
    for (const l of this.listeners) l(v);
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
