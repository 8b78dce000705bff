/**
 * close(): a pending Fetch long poll is answered (not left hanging), the listening socket is
 * closed, and the data dir reopens with what was acknowledged.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RawClient, recordBatch } from '../integration/raw-client.ts';
import { startTestBroker } from '../integration/helpers.ts';

type F = { responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer }[] }[] };

describe('broker lifecycle', () => {
  it('close answers a pending long poll, stops listening, and a restart sees acknowledged data', async () => {
    const tb = await startTestBroker();
    const c = await RawClient.open(tb.broker.port);
    await c.request(19, 3, { topics: [{ name: 'life', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000 });
    await c.request(0, 7, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'life', partitionData: [{ index: 0, records: recordBatch(['a', 'b']) }] }] });
    // Waits at the end of the log with maxWait int32 max: only close() can end it.
    const poll = c.request<F>(1, 11, {
      replicaId: -1, maxWaitMs: 0x7fffffff, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'life', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 2n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    });
    // close() answers requests already being handled and drops unread ones: wait until it is in flight.
    while (tb.broker.inFlight() === 0) await new Promise((r) => setImmediate(r));
    const closing = tb.broker.close();
    const answered = await poll;
    expect(answered.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 2n });
    expect(answered.responses[0]!.partitions[0]!.records.length).toBe(0);
    await closing;
    await c.whenClosed();
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(tb.broker.port, '127.0.0.1', () => { s.destroy(); resolve(false); });
      s.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const again = await startTestBroker({ dataDir: tb.dir });
    const c2 = await RawClient.open(again.broker.port);
    const lo = await c2.request<{ topics: { partitions: { offset: bigint }[] }[] }>(2, 3, {
      replicaId: -1, isolationLevel: 0, topics: [{ name: 'life', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    });
    expect(lo.topics[0]!.partitions[0]!.offset).toBe(2n);
    c2.close();
    await again.broker.close();
    await tb.stop(); // removes the temp dir (close is idempotent)
  });
});
