/**
 * Cross-check of RESPONSE encoding against a real client's decoders: kafkajs 2.2.4's own
 * `src/protocol/requests/<api>/v<n>/response.js` decode() reads what encodeResponse writes
 * (payload after size prefix and correlation id, as kafkajs' connection hands it over).
 * The golden tests pin requests; this pins the responses the broker sends to kafkajs.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as K from '../src/index.ts';

const require = createRequire(import.meta.url);
type Decode = (raw: Buffer) => Promise<Record<string, unknown>>;
const kafkajs = (path: string): Decode => (require(`kafkajs/src/protocol/requests/${path}/response.js`) as { decode: Decode }).decode;

const payload = (frame: Buffer, correlationId: number): Buffer => {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  expect(frame.readInt32BE(4)).toBe(correlationId);
  return frame.subarray(8);
};

describe('kafkajs 2.2.4 decodes our responses', () => {
  it('ApiVersions v2', async () => {
    const f = K.encodeApiVersionsResponse(2, 1, { apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 7 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 });
    expect(await kafkajs('apiVersions/v2')(payload(f, 1))).toMatchObject({
      errorCode: 0, apiVersions: [{ apiKey: 0, minVersion: 3, maxVersion: 7 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }],
    });
  });

  it('Metadata v6', async () => {
    const f = K.encodeMetadataResponse(6, 2, {
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }], clusterId: 'c1', controllerId: 1,
      topics: [{ name: 't', errorCode: 0, isInternal: false, partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }] }],
    });
    const d = await kafkajs('metadata/v6')(payload(f, 2));
    expect(d).toMatchObject({ brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }], clusterId: 'c1', controllerId: 1 });
    expect(d.topicMetadata).toMatchObject([{ topicErrorCode: 0, topic: 't', isInternal: false, partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }] }]);
  });

  it('Produce v7', async () => {
    const f = K.encodeProduceResponse(7, 3, { responses: [{ name: 't', partitionResponses: [{ index: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 0n }] }] });
    expect(await kafkajs('produce/v7')(payload(f, 3))).toMatchObject({
      topics: [{ topicName: 't', partitions: [{ partition: 0, errorCode: 0, baseOffset: '42', logAppendTime: '-1', logStartOffset: '0' }] }],
    });
  });

  it('Fetch v11 with a record batch kafkajs decodes', async () => {
    const records = K.encodeRecordBatch({ baseOffset: 5n, records: [{ key: 'k', value: 'v', timestamp: 1000, headers: { h: 'x' } }] });
    const f = K.encodeFetchResponse(11, 4, { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, highWatermark: 6n, lastStableOffset: 6n, logStartOffset: 0n, records }] }] });
    const d = await kafkajs('fetch/v11')(payload(f, 4));
    const p = (d.responses as { topicName: string; partitions: Record<string, unknown>[] }[])[0]!;
    expect(p.topicName).toBe('t');
    expect(p.partitions[0]).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '6', lastStableOffset: '6', preferredReadReplica: -1 });
    const msgs = p.partitions[0]!.messages as { offset: string; key: Buffer; value: Buffer; headers: Record<string, Buffer> }[];
    expect(msgs.map((m) => [m.offset, m.key.toString(), m.value.toString(), m.headers.h?.toString()])).toEqual([['5', 'k', 'v', 'x']]);
  });

  it('group APIs: FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v3', async () => {
    expect(await kafkajs('findCoordinator/v2')(payload(K.encodeFindCoordinatorResponse(2, 5, { nodeId: 1, host: 'h', port: 9 }), 5)))
      .toMatchObject({ errorCode: 0, coordinator: { nodeId: 1, host: 'h', port: 9 } });
    const meta = K.encodeConsumerProtocolSubscription({ topics: ['t'] });
    const join = await kafkajs('joinGroup/v5')(payload(K.encodeJoinGroupResponse(5, 6, {
      generationId: 3, protocolName: 'RoundRobinAssigner', leader: 'm1', memberId: 'm1', members: [{ memberId: 'm1', groupInstanceId: null, metadata: meta }],
    }), 6));
    expect(join).toMatchObject({ errorCode: 0, generationId: 3, groupProtocol: 'RoundRobinAssigner', leaderId: 'm1', memberId: 'm1' });
    expect((join.members as { memberId: string; memberMetadata: Buffer }[])[0]!.memberMetadata.equals(meta)).toBe(true);
    const asg = K.encodeConsumerProtocolAssignment({ assignedPartitions: [{ topic: 't', partitions: [0] }] });
    const sync = await kafkajs('syncGroup/v3')(payload(K.encodeSyncGroupResponse(3, 7, { assignment: asg }), 7));
    expect(sync).toMatchObject({ errorCode: 0 });
    expect((sync.memberAssignment as Buffer).equals(asg)).toBe(true);
    expect(await kafkajs('heartbeat/v3')(payload(K.encodeHeartbeatResponse(3, 8, { errorCode: 27 }), 8))).toMatchObject({ errorCode: 27 });
    expect(await kafkajs('leaveGroup/v3')(payload(K.encodeLeaveGroupResponse(3, 9, { members: [{ memberId: 'm1', groupInstanceId: null, errorCode: 0 }] }), 9)))
      .toMatchObject({ errorCode: 0, members: [{ memberId: 'm1', groupInstanceId: null, errorCode: 0 }] });
  });

  it('offsets: OffsetFetch v4, OffsetCommit v5, ListOffsets v3', async () => {
    expect(await kafkajs('offsetFetch/v4')(payload(K.encodeOffsetFetchResponse(4, 10, {
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, metadata: '' }] }],
    }), 10))).toMatchObject({ errorCode: 0, responses: [{ topic: 't', partitions: [{ partition: 0, offset: '-1', metadata: '', errorCode: 0 }] }] });
    expect(await kafkajs('offsetCommit/v5')(payload(K.encodeOffsetCommitResponse(5, 11, {
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }],
    }), 11))).toMatchObject({ responses: [{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }] }] });
    expect(await kafkajs('listOffsets/v3')(payload(K.encodeListOffsetsResponse(3, 12, {
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n, offset: 17n }] }],
    }), 12))).toMatchObject({ responses: [{ topic: 't', partitions: [{ partition: 0, errorCode: 0, timestamp: '-1', offset: '17' }] }] });
  });

  it('admin and idempotence: CreateTopics v3, DeleteTopics v1, DescribeGroups v2, InitProducerId v1', async () => {
    expect(await kafkajs('createTopics/v3')(payload(K.encodeCreateTopicsResponse(3, 13, { topics: [{ name: 'n', errorCode: 36, errorMessage: 'exists' }] }), 13)))
      .toMatchObject({ topicErrors: [{ topic: 'n', errorCode: 36, errorMessage: 'exists' }] });
    expect(await kafkajs('deleteTopics/v1')(payload(K.encodeDeleteTopicsResponse(1, 14, { responses: [{ name: 'n', errorCode: 0 }] }), 14)))
      .toMatchObject({ topicErrors: [{ topic: 'n', errorCode: 0 }] });
    expect(await kafkajs('describeGroups/v2')(payload(K.encodeDescribeGroupsResponse(2, 15, { groups: [{ groupId: 'g', groupState: 'Dead', protocolType: '', protocolData: '', members: [] }] }), 15)))
      .toMatchObject({ groups: [{ errorCode: 0, groupId: 'g', state: 'Dead', members: [] }] });
    expect(await kafkajs('initProducerId/v1')(payload(K.encodeInitProducerIdResponse(1, 16, { producerId: 4242n, producerEpoch: 0 }), 16)))
      .toMatchObject({ errorCode: 0, producerId: '4242', producerEpoch: 0 });
  });
});
