import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from '../src/index.ts';

const dir = join(import.meta.dirname, 'golden');
const files = readdirSync(dir).filter((f) => f.endsWith('.hex')).sort();
const frame = (name: string): Buffer => Buffer.from(readFileSync(join(dir, `${name}.hex`), 'utf8').trim(), 'hex');

function decode(name: string): { header: K.RequestHeader; body: unknown } {
  const f = frame(name);
  const { header, bodyOffset } = K.decodeRequestHeader(f);
  return { header, body: K.decodeRequest(header.requestApiKey, header.requestApiVersion, f, bodyOffset) };
}

describe('golden frames from kafkajs 2.2.4 and kcat/librdkafka 2.0.2', () => {
  it('has the frames the brief asks for (>= 15)', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const n of ['kafkajs-api-versions-v2', 'kcat-api-versions-v3', 'kcat-metadata-v4', 'kafkajs-metadata-v6', 'kafkajs-produce-v7',
      'kafkajs-idempotent-init-producer-id-v1', 'kcat-idempotent-init-producer-id-v4', 'kafkajs-find-coordinator-v2',
      'kafkajs-join-group-v5', 'kafkajs-sync-group-v3', 'kafkajs-offset-fetch-v4', 'kcat-offset-fetch-v7', 'kafkajs-create-topics-v3']) {
      expect(files).toContain(`${n}.hex`);
    }
  });

  for (const f of files) {
    it(`${f}: decodes and re-encodes to the same bytes`, () => {
      const bytes = frame(f.replace(/\.hex$/, ''));
      const { header, body } = decode(f.replace(/\.hex$/, ''));
      const again = K.encodeRequest(header, body as object);
      expect(again.readInt32BE(0)).toBe(bytes.length);
      expect(again.subarray(4).toString('hex')).toBe(bytes.toString('hex'));
    });
  }

  it('kcat ApiVersions v3: flexible header v2, client software librdkafka 2.0.2', () => {
    const { header, body } = decode('kcat-api-versions-v3');
    expect(header).toMatchObject({ requestApiKey: 18, requestApiVersion: 3, clientId: 'rdkafka' });
    expect(body).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  });

  it('kafkajs Produce v7: acks -1, timeout 30000, one valid record batch v2', () => {
    const f = frame('kafkajs-produce-v7');
    const { bodyOffset } = K.decodeRequestHeader(f);
    const p = K.decodeProduceRequest(7, f, bodyOffset);
    expect(p).toMatchObject({ acks: -1, timeoutMs: 30000, transactionalId: null });
    const records = p.topicData[0]!.partitionData[0]!.records!;
    const [batch] = K.splitBatches(records);
    expect(K.verifyBatchCrc(batch!)).toBe(true);
    const d = K.decodeRecordBatch(batch!);
    // kafkajs non-idempotent batches: pid -1, epoch 0, seq 0 (CLIENT_NOTES 1.4)
    expect(d.header).toMatchObject({ magic: 2, producerId: -1n, producerEpoch: 0, baseSequence: 0, recordCount: 2 });
    expect(d.records.map((r) => [r.key?.toString() ?? null, r.value?.toString()])).toEqual([['k', 'hello'], [null, 'world']]);
  });

  it('kcat Produce v7: pid/epoch/seq -1 and a valid CRC', () => {
    const p = decode('kcat-produce-v7').body as K.ProduceRequest;
    expect(p).toMatchObject({ acks: -1, timeoutMs: 30000 });
    const batch = K.splitBatches(p.topicData[0]!.partitionData[0]!.records!)[0]!;
    expect(K.verifyBatchCrc(batch)).toBe(true);
    expect(K.readBatchHeader(batch)).toMatchObject({ producerId: -1n, producerEpoch: -1, baseSequence: -1 });
    expect(K.decodeRecordBatch(batch).records.map((r) => r.value?.toString())).toEqual(['hello', 'world']);
  });

  it('idempotent producers: InitProducerId v1 (kafkajs) and flexible v4 (kcat), then sequenced batches', () => {
    expect(decode('kafkajs-idempotent-init-producer-id-v1').body).toEqual({ transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 });
    expect(decode('kcat-idempotent-init-producer-id-v4').body).toMatchObject({ transactionalId: null, producerId: -1n, producerEpoch: -1 });
    const p = decode('kafkajs-idempotent-produce-v7').body as K.ProduceRequest;
    expect(K.readBatchHeader(p.topicData[0]!.partitionData[0]!.records!)).toMatchObject({ producerId: 4242n, producerEpoch: 0, baseSequence: 0 });
  });

  it('Metadata: kcat v4 asks brokers only ([]), kafkajs v6 asks for the topic with auto-create', () => {
    expect(decode('kcat-metadata-v4').body).toMatchObject({ topics: [], allowAutoTopicCreation: false });
    expect(decode('kafkajs-metadata-v6').body).toMatchObject({ topics: [{ name: 'golden' }], allowAutoTopicCreation: true });
    expect(decode('kafkajs-idempotent-metadata-v6').body).toMatchObject({ topics: null });
  });

  it('group APIs: FindCoordinator v2, JoinGroup v5 protocols, SyncGroup v3 leader assignment', () => {
    expect(decode('kafkajs-find-coordinator-v2').body).toMatchObject({ key: 'golden-group', keyType: 0 });
    const kj = decode('kafkajs-join-group-v5').body as K.JoinGroupRequest;
    expect(kj).toMatchObject({ groupId: 'golden-group', sessionTimeoutMs: 30000, rebalanceTimeoutMs: 60000, memberId: '', protocolType: 'consumer' });
    expect(kj.protocols.map((p) => p.name)).toEqual(['RoundRobinAssigner']);
    expect(K.decodeConsumerProtocolSubscription(kj.protocols[0]!.metadata).subscription.topics).toEqual(['golden']);
    const kc = decode('kcat-join-group-v5').body as K.JoinGroupRequest;
    expect(kc).toMatchObject({ sessionTimeoutMs: 45000, rebalanceTimeoutMs: 300000 });
    expect(kc.protocols.map((p) => p.name)).toEqual(['range', 'roundrobin']);
    const sync = decode('kafkajs-sync-group-v3').body as K.SyncGroupRequest;
    expect(sync).toMatchObject({ groupId: 'golden-group', generationId: 1, memberId: 'member-1' });
    expect(K.decodeConsumerProtocolAssignment(sync.assignments[0]!.assignment).assignment.assignedPartitions).toEqual([{ topic: 'golden', partitions: [0] }]);
  });

  it('OffsetFetch v4 (kafkajs) and flexible v7 with requireStable (kcat)', () => {
    expect(decode('kafkajs-offset-fetch-v4').body).toMatchObject({ groupId: 'golden-group', topics: [{ name: 'golden', partitionIndexes: [0] }] });
    expect(decode('kcat-offset-fetch-v7').body).toMatchObject({ groupId: 'golden-kcat', requireStable: true, topics: [{ name: 'golden', partitionIndexes: [0] }] });
  });

  it('CreateTopics v3 from kafkajs admin', () => {
    expect(decode('kafkajs-create-topics-v3').body).toMatchObject({ topics: [{ name: 'golden-created', numPartitions: 2, replicationFactor: -1 }], validateOnly: false });
  });

  it('Fetch v11: read_committed, session 0 / epoch -1', () => {
    expect(decode('kafkajs-fetch-v11').body).toMatchObject({ isolationLevel: 1, sessionId: 0, sessionEpoch: -1, maxWaitMs: 5000, minBytes: 1, maxBytes: 10485760 });
    expect(decode('kcat-fetch-v11').body).toMatchObject({ isolationLevel: 1, maxWaitMs: 500 });
  });
});
