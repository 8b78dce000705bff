// Shared by the lean consumer's integration tests: a consumer on the embedded broker and a
// collector that resolves every batch and stops waiting once `count` messages arrived.
import type { Embedded } from '@warmcast/testkit';
import { ApiKey } from '@warmcast/kafka-protocol';
import type { ProduceResponse } from '@warmcast/kafka-protocol';
import { Connection } from '../../src/connection.ts';
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

/**
 * Writes hand-built record batches to one partition with a plain Produce v7 request (the wire
 * protocol, as any client would): the embedded broker checks the CRC and stores them verbatim.
 * Returns each batch's base offset.
 */
export async function produceBatches(env: Embedded, topic: string, partition: number, batches: readonly Buffer[]): Promise<bigint[]> {
  const [host, port] = env.brokers[0]!.split(':');
  const c = new Connection(host!, Number(port), 'raw-producer');
  await c.ready;
  try {
    const offsets: bigint[] = [];
    for (const records of batches) {
      const res = await c.request<ProduceResponse>(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] });
      const p = res.responses[0]?.partitionResponses[0];
      if (p === undefined || p.errorCode !== 0) throw new Error(`produce ${topic}/${partition}: Kafka error ${p?.errorCode}`);
      offsets.push(p.baseOffset);
    }
    return offsets;
  } finally {
    c.close();
  }
}
