// The sink's batch consumer with small hand-written fakes (consumer, codec, writers): what is
// committed when storing fails and is retried, when the warehouse refuses one message, and when
// the loop is closed mid-retry. No broker, no sleeping (the clock's sleep resolves at once).
import { describe, expect, it } from 'vitest';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { pino } from 'pino';
import { Topics } from '@warmcast/kit';
import type { TypedProducer } from '@warmcast/kit';
import { SinkBatchConsumer } from '../../src/sink/batch-consumer.ts';
import { Tables, WarehouseError } from '../../src/index.ts';
import type { BatchWriter, InsertableTable, Warehouse } from '../../src/index.ts';
import { sinkFixtures } from '../fixtures.ts';

const topic = Topics.poolStatusReported;
const status = sinkFixtures[topic].value;

function harness(options: { writeFailures?: unknown[]; insertFailsFor?: string; closeAfterSleeps?: number } = {}) {
  const commits: string[] = [];
  const sent: { key: string | null; reasonCode: string }[] = [];
  const stored: string[] = [];
  const inserted: string[] = [];
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const failures = [...(options.writeFailures ?? [])];
  const consumer = {
    connect: async () => {}, subscribe: async () => {}, disconnect: async () => {},
    run: async (o: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => { eachBatch = o.eachBatch; },
    commitOffsets: async (offsets: { offset: string }[]) => { commits.push(...offsets.map((o) => o.offset)); },
  } as unknown as Consumer;
  const producer = {
    codec: () => ({ decode: async (b: Buffer | null) => (b?.toString() === 'bad' ? { ok: false, code: 'DECODE_FAILED', text: 'not avro', retriable: false } : { ok: true, value: JSON.parse(String(b)), schemaId: 1 }) }),
    send: async (_t: string, msgs: { key: string | null; value: { reasonCode: string } }[]) => { sent.push(...msgs.map((m) => ({ key: m.key, reasonCode: m.value.reasonCode }))); },
  } as unknown as TypedProducer;
  const writer = {
    write: async (rows: { pool_id: string }[]) => {
      const f = failures.shift();
      if (f !== undefined) throw f;
      stored.push(...rows.map((r) => r.pool_id));
    },
    flush: async () => {},
  };
  const warehouse = {
    insert: async (_t: string, rows: readonly { pool_id: string }[]) => {
      if (rows.some((r) => r.pool_id === options.insertFailsFor)) throw new WarehouseError('QUERY_FAILED', 'Cannot parse input');
      inserted.push(...rows.map((r) => r.pool_id));
    },
  } as unknown as Pick<Warehouse, 'insert'>;
  const sleeps: number[] = [];
  const loop: SinkBatchConsumer = new SinkBatchConsumer({
    consumer, topics: [topic], producer, warehouse, log: pino({ level: 'silent' }), service: 'warehouse', concurrency: 1, fromBeginning: true,
    writers: new Map([[Tables.poolStatus, writer as unknown as BatchWriter<InsertableTable>]]),
    clock: { now: () => 0, random: () => 0, sleep: async (ms) => { sleeps.push(ms); if (sleeps.length === options.closeAfterSleeps) await loop.close(); } },
  });
  const batch = async (values: string[]) => {
    const messages = values.map((v, i) => ({ offset: String(10 + i), key: null, value: Buffer.from(v), headers: {}, timestamp: '0' }));
    await eachBatch?.({
      batch: { topic, partition: 0, highWatermark: '100', messages },
      resolveOffset: () => {}, heartbeat: async () => {}, isRunning: () => true, isStale: () => false,
    } as unknown as EachBatchPayload);
  };
  return { loop, batch, commits, sent, stored, inserted, sleeps };
}

const msg = (poolId: string) => JSON.stringify({ ...status, poolId });

describe('SinkBatchConsumer', () => {
  it('commits the batch end once its rows are stored, dead-lettering undecodable values', async () => {
    const h = harness();
    await h.loop.start();
    await h.batch([msg('a'), 'bad', msg('b')]);
    expect(h.stored).toEqual(['a', 'b']);
    expect(h.sent).toEqual([{ key: topic, reasonCode: 'DECODE_FAILED' }]);
    expect(h.commits).toEqual(['13']);
    expect(h.loop.counters).toMatchObject({ messages: 3, batches: 1, deadLettered: 1 });
  });

  it('retries a retriable store failure with back-off and commits only after it succeeds', async () => {
    const down = new WarehouseError('WAREHOUSE_UNAVAILABLE', 'ECONNREFUSED');
    const h = harness({ writeFailures: [down, down] });
    await h.loop.start();
    await h.batch([msg('a')]);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.stored).toEqual(['a']);
    expect(h.commits).toEqual(['11']);
    expect(h.loop.counters.storeRetries).toBe(2);
  });

  it('commits nothing when closed while a store keeps failing (the batch is re-delivered)', async () => {
    const down = new WarehouseError('WAREHOUSE_UNAVAILABLE', 'ECONNREFUSED');
    const h = harness({ writeFailures: Array.from({ length: 99 }, () => down), closeAfterSleeps: 3 });
    await h.loop.start();
    await h.batch([msg('a')]);
    expect(h.sleeps).toHaveLength(3);
    expect(h.stored).toEqual([]);
    expect(h.commits).toEqual([]);
  });

  it('when the warehouse refuses a batch, stores the good messages one by one and dead-letters the bad one', async () => {
    const h = harness({ writeFailures: [new WarehouseError('QUERY_FAILED', 'Cannot parse input')], insertFailsFor: 'b' });
    await h.loop.start();
    await h.batch([msg('a'), msg('b'), msg('c')]);
    expect(h.inserted).toEqual(['a', 'c']);
    expect(h.sent).toEqual([{ key: topic, reasonCode: 'VALIDATION_FAILED' }]);
    expect(h.commits).toEqual(['13']);
    expect(h.loop.counters).toMatchObject({ isolatedInserts: 3, deadLettered: 1 });
  });
});
