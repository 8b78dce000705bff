/**
 * A retried idempotent batch is stored once: the same Produce v7 batch (pid from
 * InitProducerId, sequence 0) sent twice gets the same base offset, and the log holds one copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, recordBatch } from './raw-client.ts';
import { startTestBroker, topicName, type TestBroker } from './helpers.ts';

let tb: TestBroker;
beforeAll(async () => { tb = await startTestBroker(); });
afterAll(async () => { await tb?.stop(); });

interface ProduceResp { responses: { name: string; partitionResponses: { index: number; errorCode: number; baseOffset: bigint }[] }[] }

describe('idempotent produce over a raw socket', () => {
  it('the same batch twice: one copy, same base offset; a gap in sequence is rejected', async () => {
    const topic = topicName('dup');
    const c = await RawClient.open(tb.broker.port);
    await c.request(19, 3, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
    const init = await c.request<{ errorCode: number; producerId: bigint; producerEpoch: number }>(22, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    expect(init.errorCode).toBe(0);
    expect(init.producerId).toBeGreaterThanOrEqual(0n);

    const produce = (batch: Buffer): Promise<ProduceResp> =>
      c.request<ProduceResp>(0, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] });
    // One record ahead of the idempotent one, so base offsets are not trivially 0.
    await produce(recordBatch(['plain']));
    const batch = recordBatch(['a', 'b', 'c'], { producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence: 0 });
    const first = (await produce(batch)).responses[0]!.partitionResponses[0]!;
    const again = (await produce(batch)).responses[0]!.partitionResponses[0]!;
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(again).toMatchObject({ errorCode: 0, baseOffset: 1n });
    const next = (await produce(recordBatch(['d'], { producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence: 3 }))).responses[0]!.partitionResponses[0]!;
    expect(next).toMatchObject({ errorCode: 0, baseOffset: 4n });
    const gap = (await produce(recordBatch(['z'], { producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence: 9 }))).responses[0]!.partitionResponses[0]!;
    expect(gap.errorCode).toBe(45); // OUT_OF_ORDER_SEQUENCE_NUMBER

    const offsets = await c.request<{ topics: { partitions: { offset: bigint }[] }[] }>(2, 3, {
      replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
    });
    expect(offsets.topics[0]!.partitions[0]!.offset).toBe(5n); // plain + a,b,c + d
    c.close();
  });

  it('InitProducerId never hands out the same id twice, also after a restart', async () => {
    const { startTestBroker: start } = await import('./helpers.ts');
    const own = await start();
    const dataDir = own.dir;
    const ids: bigint[] = [];
    let c = await RawClient.open(own.broker.port);
    for (let i = 0; i < 3; i++) ids.push((await c.request<{ producerId: bigint }>(22, 1, { transactionalId: null, transactionTimeoutMs: 1 })).producerId);
    c.close();
    await own.broker.close();
    const again = await start({ dataDir });
    c = await RawClient.open(again.broker.port);
    for (let i = 0; i < 3; i++) ids.push((await c.request<{ producerId: bigint }>(22, 4, { transactionalId: null, transactionTimeoutMs: 1, producerId: -1n, producerEpoch: -1 })).producerId);
    c.close();
    await again.stop();
    const { rm } = await import('node:fs/promises');
    await rm(dataDir, { recursive: true, force: true });
    expect(new Set(ids).size).toBe(6);
  });
});
