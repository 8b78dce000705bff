// Shared by the lean consumer's integration tests: a consumer on the embedded broker and a
// collector that resolves every batch and stops waiting once `count` messages arrived.
import type { Embedded } from '@warmcast/testkit';
import { LeanConsumer } from '../../src/index.ts';
import type { LeanConsumerOptions, LeanMessage } from '../../src/index.ts';

export interface Got { readonly topic: string; readonly partition: number; readonly message: LeanMessage }

export function lean(brokers: string[], groupId: string, extra: Partial<LeanConsumerOptions> = {}): LeanConsumer {
  return new LeanConsumer({ brokers, clientId: `${groupId}-lean`, groupId, maxWaitMs: 100, heartbeatIntervalMs: 200, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000, ...extra });
}

export interface Collector {
  readonly got: Got[];
  /** Resolves once at least n messages were collected in total. */
  until(n: number): Promise<void>;
}

/** Runs the consumer, collecting every message; commits each batch when commit is true. */
export async function collect(c: LeanConsumer, topics: string[], o: { commit?: boolean; fromBeginning?: boolean } = {}): Promise<Collector> {
  const got: Got[] = [];
  const waiters: { n: number; resolve(): void }[] = [];
  await c.connect();
  await c.subscribe({ topics, fromBeginning: o.fromBeginning ?? true });
  await c.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const message of batch.messages) got.push({ topic: batch.topic, partition: batch.partition, message });
      const last = batch.messages[batch.messages.length - 1]!;
      resolveOffset(last.offset);
      if (o.commit === true) await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      for (const w of waiters) if (got.length >= w.n) w.resolve();
    },
  });
  return {
    got,
    until: (n) => new Promise<void>((resolve) => { if (got.length >= n) resolve(); else waiters.push({ n, resolve }); }),
  };
}

/** Creates a topic on the embedded broker through kafkajs's admin client. */
export async function createTopic(env: Embedded, topic: string, partitions: number): Promise<void> {
  const admin = env.kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
}
