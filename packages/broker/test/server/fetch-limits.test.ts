/**
 * Fetch size rules (KIP-74) and the no-auto-create switch, over a raw socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, recordBatch } from '../integration/raw-client.ts';
import { startTestBroker, type TestBroker } from '../integration/helpers.ts';

let tb: TestBroker;
let c: RawClient;
beforeAll(async () => {
  tb = await startTestBroker({ autoCreateTopics: false });
  c = await RawClient.open(tb.broker.port);
  await c.request(19, 3, { topics: [{ name: 'lim', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000 });
  // Partition 0: three batches of 3 records with ~1 KB values; partition 1: one batch.
  for (let b = 0; b < 3; b++) {
    await c.request(0, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 'lim', partitionData: [{ index: 0, records: recordBatch([0, 1, 2].map((i) => `${b}-${i}-${'v'.repeat(1000)}`)) }] }] });
  }
  await c.request(0, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 'lim', partitionData: [{ index: 1, records: recordBatch(['p1']) }] }] });
});
afterAll(async () => {
  c?.close();
  await tb?.stop();
});

type F = { responses: { partitions: { partitionIndex: number; errorCode: number; records: Buffer }[] }[] };
function fetch(maxBytes: number, parts: { partition: number; fetchOffset: bigint; partitionMaxBytes: number }[]): Promise<F> {
  return c.request<F>(1, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic: 'lim', partitions: parts.map((p) => ({ ...p, currentLeaderEpoch: -1, logStartOffset: -1n })) }],
  });
}
/** Base offsets and record counts of the batches in a record set. */
function batches(records: Buffer): [bigint, number][] {
  const out: [bigint, number][] = [];
  for (let pos = 0; pos + 61 <= records.length; pos += 12 + records.readInt32BE(pos + 8)) out.push([records.readBigInt64BE(pos), records.readInt32BE(pos + 57)]);
  return out;
}

describe('Fetch limits', () => {
  it('a first batch larger than partitionMaxBytes and maxBytes is still returned whole', async () => {
    const r = await fetch(100, [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100 }]);
    expect(batches(r.responses[0]!.partitions[0]!.records)).toEqual([[0n, 3]]);
  });

  it('a mid-batch offset returns the whole batch containing it', async () => {
    const r = await fetch(1 << 20, [{ partition: 0, fetchOffset: 4n, partitionMaxBytes: 1 << 20 }]);
    expect(batches(r.responses[0]!.partitions[0]!.records)).toEqual([[3n, 3], [6n, 3]]);
  });

  it('once maxBytes is spent, later partitions answer with no records but no error', async () => {
    const r = await fetch(500, [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }, { partition: 1, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }]);
    const [p0, p1] = r.responses[0]!.partitions;
    expect(batches(p0!.records)).toEqual([[0n, 3]]);
    expect(p1).toMatchObject({ partitionIndex: 1, errorCode: 0 });
    expect(p1!.records.length).toBe(0);
  });

  it('with autoCreateTopics off, Metadata answers UNKNOWN_TOPIC_OR_PARTITION even when the client allows creation', async () => {
    const m = await c.request<{ topics: { errorCode: number }[] }>(3, 6, { topics: [{ name: 'never-created' }], allowAutoTopicCreation: true });
    expect(m.topics[0]!.errorCode).toBe(3);
  });
});
