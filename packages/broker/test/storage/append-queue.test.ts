import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogManager, PartitionLog, resolveLogConfig } from '../../src/storage/index.ts';
import { Segment } from '../../src/storage/segment.ts';
import { sameBatchBody, simpleBatch, sizedBatch, splitBatches } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await cleanup();
});
const cfg = (o: Parameters<typeof resolveLogConfig>[0] = {}) => resolveLogConfig({ fsync: 'os', ...o });
const idem = (seq: number, count = 1, pid = 7n) => simpleBatch(`s${seq}`, count, { producerId: pid, producerEpoch: 0, baseSequence: seq });

describe('concurrent appends (one drain, one write)', () => {
  it('a sequence error refuses only its own request; the others get consecutive offsets', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    const results = await Promise.allSettled([
      log.append(idem(0), 0),
      log.append(idem(5), 0), // gap
      log.append(idem(1), 0),
      log.append(simpleBatch('plain', 2), 0),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.baseOffset)).toEqual([0n, 1n, 2n]);
    expect(log.highWatermark).toBe(4n);
    await log.close();
  });

  it('a retry queued with its original is a duplicate carrying the original offset', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    await log.append(simpleBatch('first', 3), 0);
    const [a, b] = await Promise.all([log.append(idem(0, 2), 0), log.append(idem(0, 2), 0)]);
    expect(a).toMatchObject({ baseOffset: 3n, lastOffset: 4n, duplicate: false });
    expect(b).toMatchObject({ baseOffset: 3n, lastOffset: 4n, duplicate: true });
    expect(log.highWatermark).toBe(5n);
    await log.close();
  });

  it('rolls segments in the middle of a queued group and keeps every batch readable after reopen', async () => {
    const config = cfg({ segmentBytes: 3000 });
    const log = await PartitionLog.open(dir, 't', 0, config);
    const sent = Array.from({ length: 30 }, (_, i) => sizedBatch(700, 0x41 + i));
    const copies = sent.map((b) => Buffer.from(b));
    const results = await Promise.all(sent.map((b) => log.append(b, 0)));
    expect(results.map((r) => r.baseOffset)).toEqual(sent.map((_, i) => BigInt(i)));
    expect(log.segmentCount).toBeGreaterThanOrEqual(8);
    await log.close();
    const again = await PartitionLog.open(dir, 't', 0, config);
    for (let i = 0; i < 30; i++) {
      const got = splitBatches((await again.read(BigInt(i), 1)).records)[0]!;
      expect(sameBatchBody(got.bytes, copies[i]!)).toBe(true);
    }
    await again.close();
  });

  it('a failed write answers KAFKA_STORAGE_ERROR to the whole group, and the next append reuses the offsets', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    await log.append(simpleBatch('before', 1), 0);
    const real = Segment.prototype.append;
    const spy = vi.spyOn(Segment.prototype, 'append').mockImplementationOnce(async function (this: Segment, buf: Buffer) {
      await real.call(this, buf.subarray(0, 30)); // a torn write, then the error
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    const failed = await Promise.allSettled([log.append(simpleBatch('x', 1), 0), log.append(simpleBatch('y', 1), 0)]);
    for (const r of failed) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'KAFKA_STORAGE_ERROR', retriable: true } });
    expect(log.highWatermark).toBe(1n);
    spy.mockRestore();
    expect((await log.append(simpleBatch('after', 1), 0)).baseOffset).toBe(1n);
    await log.close();
    const again = await PartitionLog.open(dir, 't', 0, cfg());
    expect(again.highWatermark).toBe(2n);
    expect(splitBatches((await again.read(0n, 1 << 20)).records).length).toBe(2);
    await again.close();
  });

  it('appends after close are refused', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    await log.close();
    await expect(log.append(simpleBatch('late', 1), 0)).rejects.toMatchObject({ code: 'KAFKA_STORAGE_ERROR' });
  });
});

describe('interval fsync (LogManager timer)', () => {
  it('fsyncs partitions appended to since the last tick, and only those', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const sync = vi.spyOn(Segment.prototype, 'sync');
    const m = await LogManager.open(dir, resolveLogConfig({ fsync: 'interval', fsyncIntervalMs: 1000 }));
    await m.createTopic('a', 2);
    await m.partition('a', 1)!.append(simpleBatch('x', 1), 0);
    expect(sync).not.toHaveBeenCalled(); // write(2) only
    vi.advanceTimersByTime(1000);
    expect(sync).toHaveBeenCalledTimes(1); // partition 1 only; partition 0 is clean
    await vi.waitFor(() => expect(m.partition('a', 1)!.needsFlush).toBe(false));
    vi.advanceTimersByTime(1000);
    expect(sync).toHaveBeenCalledTimes(1); // nothing new
    await m.close();
  });
});
