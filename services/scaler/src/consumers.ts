// The scaler's input consumers as ONE lifecycle component that starts and closes its loops in
// parallel. Why not KitService.consume per topic: the kit closes components one after another,
// and each kafkajs consumer waits out its pending fetch on disconnect (maxWaitTimeInMs, 5 s by
// default), so six inputs took > 10 s to close and hit shutdownTimeoutMs. Here each consumer
// waits at most 500 ms per empty fetch and all six close together. The loops are the kit's
// ConsumerLoop: same retries, dead letters and commit-after-durable-work semantics.
import { ConsumerLoop } from '@warmcast/kit';
import type { Handler, KitService, TopicName } from '@warmcast/kit';

export interface InputSpec<N extends TopicName> {
  readonly topic: N;
  /** Consumer group suffix: one group per input topic (members of one group with different subscriptions would be handed partitions of topics they do not read). */
  readonly group: string;
  readonly handler: Handler<N>;
}

export class InputConsumers {
  private readonly loops: ConsumerLoop<TopicName>[] = [];

  constructor(private readonly kit: KitService, private readonly fromBeginning: boolean, private readonly maxWaitTimeInMs = 500) {}

  add<N extends TopicName>(spec: InputSpec<N>): this {
    const { config } = this.kit;
    this.loops.push(new ConsumerLoop<N>({
      consumer: this.kit.kafka.consumer({ groupId: `${config.groupId}.${spec.group}`, maxWaitTimeInMs: this.maxWaitTimeInMs }),
      topic: spec.topic, handler: spec.handler, producer: this.kit.producer, log: this.kit.log.child({ unit: 'consumer', topic: spec.topic }),
      service: config.clientId, metrics: this.kit.metrics, fromBeginning: this.fromBeginning,
      policy: { maxAttempts: config.maxAttempts, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, factor: 2, jitter: 0.2 },
    }) as unknown as ConsumerLoop<TopicName>);
    return this;
  }

  async start(): Promise<void> {
    const started: ConsumerLoop<TopicName>[] = [];
    try {
      await Promise.all(this.loops.map(async (l) => { await l.start(); started.push(l); }));
    } catch (err) {
      await Promise.allSettled(started.map((l) => l.close()));
      throw err;
    }
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.loops.map((l) => l.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
