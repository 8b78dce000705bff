import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, resolveLogConfig } from '../../src/storage/index.ts';
import { ProducerStateTable } from '../../src/storage/producer-state.ts';
import { simpleBatch, splitBatches } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_100_000;
const PID = 4242n;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const open = () => PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'os' }));
/** A batch of `count` records from producer PID at (epoch, seq). */
const idem = (seq: number, count = 2, epoch = 0, pid = PID) => simpleBatch(`p${pid}-e${epoch}-s${seq}`, count, { producerId: pid, producerEpoch: epoch, baseSequence: seq });

describe('idempotent producer (PartitionLog)', () => {
  it('accepts in-order sequences and de-duplicates a retry of each of the last 5 batches with its original offsets', async () => {
    const log = await open();
    const firsts: bigint[] = [];
    for (let i = 0; i < 7; i++) firsts.push((await log.append(idem(i * 2), NOW)).baseOffset);
    expect(firsts).toEqual([0n, 2n, 4n, 6n, 8n, 10n, 12n]);
    for (let i = 2; i < 7; i++) {
      const r = await log.append(idem(i * 2), NOW);
      expect(r).toMatchObject({ duplicate: true, baseOffset: firsts[i], lastOffset: firsts[i]! + 1n });
    }
    expect(log.highWatermark).toBe(14n);
    // older than the last 5: not in the cache, so it is a sequence error, not a silent duplicate
    await expect(log.append(idem(2), NOW)).rejects.toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(splitBatches((await log.read(0n, 1 << 20)).records).length).toBe(7);
    await log.close();
  });

  const table: Array<{ name: string; then: Buffer; code: string }> = [
    { name: 'a gap', then: idem(5, 2, 1), code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' },
    { name: 'a sequence from the past with other bounds', then: idem(1, 2, 1), code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' },
    { name: 'an old epoch', then: idem(4, 2, 0), code: 'INVALID_PRODUCER_EPOCH' },
    { name: 'a new epoch not at sequence 0', then: idem(4, 2, 2), code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' },
  ];
  for (const t of table) {
    it(`rejects ${t.name} with ${t.code} and stores nothing`, async () => {
      const log = await open();
      await log.append(idem(0, 2, 1), NOW);
      await log.append(idem(2, 2, 1), NOW);
      await expect(log.append(t.then, NOW)).rejects.toMatchObject({ code: t.code });
      expect(log.highWatermark).toBe(4n);
      await log.close();
    });
  }

  it('accepts a new epoch starting at sequence 0, then rejects the old epoch', async () => {
    const log = await open();
    await log.append(idem(0, 3, 0), NOW);
    expect((await log.append(idem(0, 1, 1), NOW)).baseOffset).toBe(3n);
    await expect(log.append(idem(3, 1, 0), NOW)).rejects.toMatchObject({ code: 'INVALID_PRODUCER_EPOCH' });
    await log.close();
  });

  it('ignores sequences of non-idempotent batches (producerId -1, kafkajs sends epoch 0 seq 0)', async () => {
    const log = await open();
    for (let i = 0; i < 3; i++) expect((await log.append(simpleBatch('plain', 1, { producerId: -1n, baseSequence: 0 }), NOW)).duplicate).toBe(false);
    expect(log.highWatermark).toBe(3n);
    await log.close();
  });

  it('keeps producers apart', async () => {
    const log = await open();
    await log.append(idem(0, 1, 0, 1n), NOW);
    await log.append(idem(0, 1, 0, 2n), NOW);
    expect((await log.append(idem(0, 1, 0, 1n), NOW)).duplicate).toBe(true);
    expect((await log.append(idem(1, 1, 0, 2n), NOW)).baseOffset).toBe(2n);
    await log.close();
  });

  it('rebuilds producer state from batch headers on reopen: a retry after restart is still de-duplicated', async () => {
    const log = await open();
    await log.append(idem(0), NOW);
    const second = await log.append(idem(2), NOW);
    await log.close();
    const again = await open();
    expect(await again.append(idem(2), NOW)).toMatchObject({ duplicate: true, baseOffset: second.baseOffset });
    await expect(again.append(idem(9), NOW)).rejects.toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect((await again.append(idem(4), NOW)).baseOffset).toBe(4n);
    await again.close();
  });

  it('checks several batches of one producer in one request in order', async () => {
    const log = await open();
    const r = await log.append(Buffer.concat([idem(0), idem(2), idem(4)]), NOW);
    expect(r).toMatchObject({ baseOffset: 0n, lastOffset: 5n, duplicate: false });
    await expect(log.append(Buffer.concat([idem(6), idem(9)]), NOW)).rejects.toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.highWatermark).toBe(6n); // nothing of the refused request was written
    await log.close();
  });
});

describe('ProducerStateTable sequence wrap', () => {
  it('follows 2^31-1 with 0', () => {
    const t = new ProducerStateTable();
    const max = 2 ** 31 - 1;
    t.record(1n, 0, max - 1, 1, 0n, 0); // sequences max-1 .. max
    expect(t.check(1n, 0, 0, 0)).toEqual({ kind: 'append' });
    expect(() => t.check(1n, 0, 1, 0)).toThrow(expect.objectContaining({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' }));
    // a batch that itself wraps: base max, 3 records -> last sequence 1
    const u = new ProducerStateTable();
    u.record(2n, 0, max, 2, 10n, 0);
    expect(u.get(2n)!.batches[0]!.lastSeq).toBe(1);
    expect(u.check(2n, 0, 2, 0)).toEqual({ kind: 'append' });
  });

  it('forgets producers idle longer than producer.id.expiration.ms (1 day)', () => {
    const t = new ProducerStateTable();
    const DAY = 24 * 3600 * 1000;
    t.record(1n, 0, 0, 0, 0n, 1000);
    t.record(2n, 0, 0, 0, 1n, 1000 + DAY);
    expect(t.expire(1000 + DAY, DAY)).toBe(0); // exactly a day idle: kept
    expect(t.expire(1001 + DAY, DAY)).toBe(1);
    expect(t.get(1n)).toBeUndefined();
    expect(t.get(2n)).toBeDefined();
  });

  it('accepts an unknown producer at any sequence (state may have gone with retention)', () => {
    expect(new ProducerStateTable().check(9n, 3, 1234, 0)).toEqual({ kind: 'append' });
  });
});
