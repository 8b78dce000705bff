import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, resolveLogConfig, type StorageEvent } from '../../src/storage/index.ts';
import { simpleBatch, sizedBatch, splitBatches } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

const HOUR = 3_600_000;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** 12 batches of ~1 KiB, 2 per segment (segmentBytes 2500), batch i timestamped at hour i. */
async function fill(config: Parameters<typeof resolveLogConfig>[0], events: StorageEvent[] = []): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'os', segmentBytes: 2500, ...config }), { onEvent: (e) => events.push(e) });
  for (let i = 0; i < 12; i++) await log.append(sizedBatch(1000, 0x61, { baseTimestamp: BigInt(i * HOUR) }), i * HOUR);
  expect(log.segmentCount).toBe(6);
  return log;
}
const logFiles = async () => (await readdir(dir)).filter((f) => f.endsWith('.log')).length;

describe('retention', () => {
  it('by time deletes whole closed segments whose newest batch is too old, and advances logStartOffset', async () => {
    const events: StorageEvent[] = [];
    const log = await fill({ retentionMs: 5 * HOUR }, events);
    // now = hour 11.5: cutoff hour 6.5; segments hold hours [0,1] [2,3] [4,5] [6,7] ...: 3 are older
    expect(await log.enforceRetention(11.5 * HOUR)).toBe(3);
    expect(log.logStartOffset).toBe(6n);
    expect(await logFiles()).toBe(3);
    expect(events.filter((e) => e.type === 'segment-deleted').map((e) => e.type === 'segment-deleted' && e.reason)).toEqual(['retention.ms', 'retention.ms', 'retention.ms']);
    await expect(log.read(5n, 100)).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(splitBatches((await log.read(6n, 1)).records)[0]!.baseOffset).toBe(6n);
    expect(await log.enforceRetention(11.5 * HOUR)).toBe(0);
    await log.close();
  });

  it('never deletes the active segment, even when everything is expired', async () => {
    const log = await fill({ retentionMs: 1 });
    expect(await log.enforceRetention(1000 * HOUR)).toBe(5);
    expect(log.logStartOffset).toBe(10n);
    expect(log.highWatermark).toBe(12n);
    await log.close();
  });

  it('by size keeps at least retentionBytes and removes the oldest closed segments beyond it', async () => {
    const log = await fill({ retentionBytes: 5000 });
    const seg = log.sizeBytes / 6;
    expect(await log.enforceRetention(0)).toBe(3); // 6 segments of ~2.1 KiB; 3 keep >= 5000 bytes
    expect(log.sizeBytes).toBeGreaterThanOrEqual(5000);
    expect(log.sizeBytes - seg).toBeLessThan(5000);
    expect(log.logStartOffset).toBe(6n);
    await log.close();
  });

  it('logStartOffset survives reopen', async () => {
    const log = await fill({ retentionBytes: 0 });
    await log.enforceRetention(0);
    await log.close();
    const again = await PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'os', segmentBytes: 2500 }));
    expect(again.logStartOffset).toBe(10n);
    expect(again.highWatermark).toBe(12n);
    await again.close();
  });

  it('expires idempotent producer state after a day idle, measured from the append time', async () => {
    const log = await PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'os' }));
    const b = () => simpleBatch('p', 1, { producerId: 5n, producerEpoch: 0, baseSequence: 0 });
    await log.append(b(), 0);
    await log.enforceRetention(24 * HOUR);
    expect((await log.append(b(), 24 * HOUR)).duplicate).toBe(true); // a day idle: still known
    await log.enforceRetention(48 * HOUR + 1);
    expect((await log.append(b(), 48 * HOUR + 1)).duplicate).toBe(false); // forgotten: accepted anew
    await log.close();
  });

  it('-1 keeps everything', async () => {
    const log = await fill({ retentionMs: -1, retentionBytes: -1 });
    expect(await log.enforceRetention(1e12)).toBe(0);
    await log.close();
  });
});
