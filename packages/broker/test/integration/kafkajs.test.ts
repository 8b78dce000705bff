/**
 * kafkajs 2.2.4, unmodified, against the embedded broker: producers with every acks setting,
 * the idempotent producer, a consumer group reading everything back in order, and admin calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, ConfigResourceTypes, type Admin, type KafkaMessage } from 'kafkajs';
import { startTestBroker, topicName, type TestBroker } from './helpers.ts';

let tb: TestBroker;
let admin: Admin;

beforeAll(async () => {
  tb = await startTestBroker();
  admin = tb.kafka('admin').admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await tb?.stop();
});

interface Seen { key: string | null; value: string | null; headers: Record<string, string>; offset: string; partition: number }

async function consumeAll(topic: string, count: number, groupId = `g-${topic}`): Promise<Seen[]> {
  const consumer = tb.kafka('consumer').consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: Seen[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message, partition }: { message: KafkaMessage; partition: number }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, offset: message.offset, partition });
        if (seen.length >= count) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

describe('kafkajs producer and consumer', () => {
  it.each([-1, 1])('acks=%i: every message is acknowledged with increasing offsets and read back in order', async (acks) => {
    const topic = topicName(`acks${acks}`);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = tb.kafka('producer').producer();
    await producer.connect();
    const results = [];
    for (let batch = 0; batch < 3; batch++) {
      const messages = Array.from({ length: 50 }, (_, i) => ({
        key: `k${batch * 50 + i}`, value: `v${batch * 50 + i}`, headers: { h: `x${batch * 50 + i}` },
      }));
      results.push(...await producer.send({ topic, acks, messages }));
    }
    await producer.disconnect();
    expect(results.map((r) => r.baseOffset)).toEqual(['0', '50', '100']);
    expect(results.every((r) => r.errorCode === 0)).toBe(true);
    const seen = await consumeAll(topic, 150);
    expect(seen.map((s) => s.value)).toEqual(Array.from({ length: 150 }, (_, i) => `v${i}`));
    expect(seen.map((s) => s.key)).toEqual(Array.from({ length: 150 }, (_, i) => `k${i}`));
    expect(seen.map((s) => s.headers['h'])).toEqual(Array.from({ length: 150 }, (_, i) => `x${i}`));
    expect(seen.map((s) => s.offset)).toEqual(Array.from({ length: 150 }, (_, i) => String(i)));
  });

  it('acks=0: no response expected, messages still stored', async () => {
    const topic = topicName('acks0');
    await admin.createTopics({ topics: [{ topic }] });
    const producer = tb.kafka('producer').producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) await producer.send({ topic, acks: 0, messages: [{ value: `m${i}` }] });
    // A later acks=1 send on the same connection is answered only after the acks=0 ones were
    // handled (one at a time per connection), so its offset proves they were stored.
    const [r] = await producer.send({ topic, acks: 1, messages: [{ value: 'last' }] });
    await producer.disconnect();
    expect(r?.baseOffset).toBe('5');
    const seen = await consumeAll(topic, 6);
    expect(seen.map((s) => s.value)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'last']);
  });

  it('gzip batches are stored verbatim and read back', async () => {
    const topic = topicName('gzip');
    const producer = tb.kafka('producer').producer();
    await producer.connect();
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(100) + i })) });
    await producer.disconnect();
    const seen = await consumeAll(topic, 20);
    expect(seen.map((s) => s.value)).toEqual(Array.from({ length: 20 }, (_, i) => 'x'.repeat(100) + i));
  });

  it('idempotent producer: InitProducerId to the controller, sequences accepted, read back once each', async () => {
    const topic = topicName('idem');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = tb.kafka('idem').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let b = 0; b < 4; b++) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${(b * 10 + i) % 4}`, value: `v${b * 10 + i}` })) });
    }
    await producer.disconnect();
    const seen = await consumeAll(topic, 40);
    expect(seen.map((s) => s.value).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`).sort());
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(40);
  });
});

describe('kafkajs admin', () => {
  it('creates, lists and deletes topics; a second create returns false', async () => {
    const topic = topicName('adm');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
    expect(await admin.listTopics()).toContain(topic);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('rejects replication factor 3 and bad partition counts', async () => {
    const typeOf = async (p: Promise<unknown>): Promise<string[]> => {
      try {
        await p;
        return [];
      } catch (err) {
        return ((err as { errors?: { type: string }[] }).errors ?? []).map((e) => e.type);
      }
    };
    expect(await typeOf(admin.createTopics({ topics: [{ topic: topicName('rf'), replicationFactor: 3 }] }))).toEqual(['INVALID_REPLICATION_FACTOR']);
    expect(await typeOf(admin.createTopics({ topics: [{ topic: topicName('np'), numPartitions: 0 }] }))).toEqual(['INVALID_PARTITIONS']);
  });

  it('createPartitions grows a topic; fetchTopicOffsets reports high/low per partition', async () => {
    const topic = topicName('grow');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    const producer = tb.kafka('producer').producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a', partition: 2 }, { value: 'b', partition: 2 }, { value: 'c', partition: 0 }] });
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([[0, '0', '1'], [1, '0', '0'], [2, '0', '2']]);
    await expect(admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] })).rejects.toThrow();
  });

  it('describeConfigs shows a topic override and broker defaults; unknown topic is an error', async () => {
    const topic = topicName('cfg');
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const r = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    const entries = Object.fromEntries(r.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries['retention.ms']).toMatchObject({ configValue: '3600000', isDefault: false });
    expect(entries['cleanup.policy']).toMatchObject({ configValue: 'delete', readOnly: true });
    const b = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['broker.id'] }] });
    expect(b.resources[0]!.configEntries.map((e) => [e.configName, e.configValue])).toEqual([['broker.id', '1']]);
    await expect(admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topicName('none') }] })).rejects.toThrow();
  });

  it('fetchOffsets, describeGroups, listGroups and deleteGroups see a consumer group', async () => {
    const topic = topicName('grp');
    const groupId = `group-${topic}`;
    const producer = tb.kafka('producer').producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: '1' }, { value: '2' }, { value: '3' }] });
    await producer.disconnect();
    await consumeAll(topic, 3, groupId);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]?.partitions[0]?.offset).toBe('3');
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0]?.state).toBe('Empty');
    const unknown = await admin.describeGroups(['no-such-group']);
    expect(unknown.groups[0]?.state).toBe('Dead');
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });
});
