/**
 * Server behaviour at the protocol edge: ordering, bad frames, unknown keys, unsupported
 * versions (ApiVersions answers a v0 error body; others close), acks=0 silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, recordBatch } from '../integration/raw-client.ts';
import { startTestBroker, topicName, type TestBroker } from '../integration/helpers.ts';

let tb: TestBroker;
beforeAll(async () => { tb = await startTestBroker(); });
afterAll(async () => { await tb?.stop(); });

function header(apiKey: number, version: number, correlationId: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(14);
  b.writeInt32BE(10 + extra.length, 0);
  b.writeInt16BE(apiKey, 4);
  b.writeInt16BE(version, 6);
  b.writeInt32BE(correlationId, 8);
  b.writeInt16BE(-1, 12); // null client id
  return Buffer.concat([b, extra]);
}

describe('broker server', () => {
  it('ApiVersions v2 lists the ranges of CLIENT_NOTES §3 (Produce from 0: the librdkafka compression gate)', async () => {
    const c = await RawClient.open(tb.broker.port);
    const r = await c.request<{ errorCode: number; apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[] }>(18, 2, {});
    c.close();
    expect(r.errorCode).toBe(0);
    const ranges = Object.fromEntries(r.apiKeys.map((k) => [k.apiKey, `${k.minVersion}-${k.maxVersion}`]));
    expect(ranges).toEqual({
      0: '0-7', 1: '4-11', 2: '1-3', 3: '0-6', 8: '2-7', 9: '1-7', 10: '0-2', 11: '0-5', 12: '0-3', 13: '0-3',
      14: '0-3', 15: '0-4', 16: '0-2', 18: '0-3', 19: '0-4', 20: '0-1', 22: '0-4', 32: '0-2', 37: '0-1', 42: '0-1',
    });
  });

  it('ApiVersions v9 gets a v0 body with error 35 and the ApiVersions range (KIP-511)', async () => {
    const c = await RawClient.open(tb.broker.port);
    const frame = await c.sendRaw(header(18, 9, 77), true);
    c.close();
    expect(frame).toBeDefined();
    // correlation id, int16 error, int32 count = 1, then key 18 min 0 max 3
    expect(frame!.toString('hex')).toBe('0000004d' + '0023' + '00000001' + '0012' + '0000' + '0003');
  });

  it.each([
    ['unknown API key', header(999, 0, 1)],
    ['unsupported Produce version 8', header(0, 8, 1)],
    ['frame size below a header', Buffer.from([0, 0, 0, 3, 1, 2, 3])],
    ['negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xf0])],
    ['frame over maxFrameBytes', Buffer.from([0x7f, 0xff, 0xff, 0xff])],
    ['truncated Metadata body', header(3, 6, 1, Buffer.from([0, 0, 0, 5]))],
  ])('%s closes that connection only', async (_what, bytes) => {
    const bad = await RawClient.open(tb.broker.port);
    const good = await RawClient.open(tb.broker.port);
    expect(await bad.sendRaw(bytes, true)).toBeUndefined();
    const r = await good.request<{ brokers: { port: number }[] }>(3, 6, { topics: [], allowAutoTopicCreation: false });
    expect(r.brokers[0]!.port).toBe(tb.broker.port);
    good.close();
  });

  it('pipelined requests are answered in order; acks=0 produce gets no response', async () => {
    const topic = topicName('pipe');
    const c = await RawClient.open(tb.broker.port);
    await c.request(19, 3, { topics: [{ name: topic, numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
    const produce = (acks: number, v: string): Promise<unknown> => c.request(0, 7, { transactionalId: null, acks, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: recordBatch([v]) }] }] });
    c.send(0, 7, { transactionalId: null, acks: 0, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: recordBatch(['silent']) }] }] });
    const results = await Promise.all([1, 2, 3].map((i) => produce(1, `m${i}`))) as { responses: { partitionResponses: { baseOffset: bigint }[] }[] }[];
    // The acks=0 request consumed no response slot (else correlation ids would mismatch) and was stored first.
    expect(results.map((r) => r.responses[0]!.partitionResponses[0]!.baseOffset)).toEqual([1n, 2n, 3n]);
    c.close();
  });

  it('Metadata: auto-creates with LEADER_NOT_AVAILABLE first, then describes; [] means no topics', async () => {
    const topic = topicName('auto');
    const c = await RawClient.open(tb.broker.port);
    type M = { controllerId: number; topics: { name: string; errorCode: number; partitions: { leaderId: number; replicaNodes: number[] }[] }[] };
    const first = await c.request<M>(3, 4, { topics: [{ name: topic }], allowAutoTopicCreation: true });
    expect(first.topics[0]).toMatchObject({ name: topic, errorCode: 5 });
    const second = await c.request<M>(3, 4, { topics: [{ name: topic }], allowAutoTopicCreation: true });
    expect(second.controllerId).toBe(1);
    expect(second.topics[0]).toMatchObject({ errorCode: 0, partitions: [{ leaderId: 1, replicaNodes: [1] }] });
    const none = await c.request<M>(3, 4, { topics: [], allowAutoTopicCreation: true });
    expect(none.topics).toEqual([]);
    const unknown = await c.request<M>(3, 6, { topics: [{ name: topicName('nope') }], allowAutoTopicCreation: false });
    expect(unknown.topics[0]!.errorCode).toBe(3);
    const invalid = await c.request<M>(3, 6, { topics: [{ name: 'bad/name' }], allowAutoTopicCreation: true });
    expect(invalid.topics[0]!.errorCode).toBe(17);
    c.close();
  });

  it('Fetch long-polls and wakes when data arrives', async () => {
    const topic = topicName('poll');
    const c = await RawClient.open(tb.broker.port);
    const p = await RawClient.open(tb.broker.port);
    await c.request(19, 3, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
    type F = { responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer | null }[] }[] };
    const fetch = c.request<F>(1, 11, {
      replicaId: -1, maxWaitMs: 0x7fffffff, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    await p.request(0, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records: recordBatch(['wake']) }] }] });
    // maxWait is int32 max (24 days): this resolves only if the produce woke the poll; a missing
    // wake-up fails the test by its timeout.
    const r = await fetch;
    expect(r.responses[0]!.partitions[0]!.highWatermark).toBe(1n);
    expect(r.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(61);
    const oor = await c.request<F>(1, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 5n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    expect(oor.responses[0]!.partitions[0]!.errorCode).toBe(1);
    c.close();
    p.close();
  });
});
