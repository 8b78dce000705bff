import { readdir, rm, stat, appendFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, resolveLogConfig, type StorageEvent } from '../../src/storage/index.ts';
import { sameBatchBody, simpleBatch, sizedBatch, splitBatches } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_100_000;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const cfg = (o: Parameters<typeof resolveLogConfig>[0] = {}) => resolveLogConfig({ fsync: 'os', ...o });

describe('PartitionLog append/read', () => {
  it('assigns consecutive offsets across batches of several records and reads them back verbatim', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    const sent = [simpleBatch('a', 3), simpleBatch('b', 1), simpleBatch('c', 5)];
    const copies = sent.map((b) => Buffer.from(b));
    const results = [];
    for (const b of sent) results.push(await log.append(b, NOW));
    expect(results.map((r) => [r.baseOffset, r.lastOffset, r.duplicate])).toEqual([[0n, 2n, false], [3n, 3n, false], [4n, 8n, false]]);
    expect(results[0]!.logAppendTime).toBe(-1n);
    expect(log.highWatermark).toBe(9n);
    const r = await log.read(0n, 1 << 20);
    const got = splitBatches(r.records);
    expect(got.map((g) => g.baseOffset)).toEqual([0n, 3n, 4n]);
    got.forEach((g, i) => expect(sameBatchBody(g.bytes, copies[i]!)).toBe(true));
    expect(r.highWatermark).toBe(9n);
    expect(r.logStartOffset).toBe(0n);
    await log.close();
  });

  it('a mid-batch read returns the whole containing batch', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    await log.append(simpleBatch('a', 3), NOW);
    await log.append(simpleBatch('b', 4), NOW);
    for (const [offset, first] of [[1n, 0n], [2n, 0n], [3n, 3n], [5n, 3n], [6n, 3n]] as const) {
      const got = splitBatches((await log.read(offset, 1 << 20)).records);
      expect(got[0]!.baseOffset).toBe(first);
    }
    await log.close();
  });

  it('returns at least one whole batch even when larger than maxBytes (KIP-74), and stops at maxBytes after', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    const big = sizedBatch(100_000);
    await log.append(big, NOW);
    await log.append(sizedBatch(100), NOW);
    const r = await log.read(0n, 10);
    expect(r.records.length).toBe(big.length);
    const both = await log.read(0n, big.length + 1000);
    expect(splitBatches(both.records).length).toBe(2);
    await log.close();
  });

  it('reads many small batches through the sparse index from any offset', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    for (let i = 0; i < 500; i++) await log.append(simpleBatch(`m${i}`, 2), NOW);
    for (const off of [0n, 1n, 457n, 998n, 999n]) {
      const got = splitBatches((await log.read(off, 200)).records);
      expect(got[0]!.baseOffset).toBe(off - (off % 2n));
    }
    await log.close();
  });

  it('is empty at the high watermark and OFFSET_OUT_OF_RANGE outside [logStart, HWM]', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    expect((await log.read(0n, 100)).records.length).toBe(0);
    await log.append(simpleBatch('a', 2), NOW);
    expect((await log.read(2n, 100)).records.length).toBe(0);
    await expect(log.read(3n, 100)).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    await expect(log.read(-1n, 100)).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    await log.close();
  });

  it('rejects a CRC mismatch with CORRUPT_MESSAGE and stores nothing', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    const bad = simpleBatch('a', 2);
    bad[bad.length - 3]! ^= 0xff;
    await expect(log.append(bad, NOW)).rejects.toMatchObject({ code: 'CORRUPT_MESSAGE', retriable: true });
    // a good batch after a bad one in the same request: the whole request is refused
    await expect(log.append(Buffer.concat([simpleBatch('ok', 1), bad]), NOW)).rejects.toMatchObject({ code: 'CORRUPT_MESSAGE' });
    expect(log.highWatermark).toBe(0n);
    await log.close();
    expect((await stat(join(dir, '00000000000000000000.log'))).size).toBe(0);
  });

  it('rejects batches larger than maxBatchBytes with MESSAGE_TOO_LARGE', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg({ maxBatchBytes: 1000 }));
    await expect(log.append(sizedBatch(2000), NOW)).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    await log.close();
  });
});

describe('PartitionLog segments', () => {
  it('rolls past segmentBytes and reads across segments, also after reopen', async () => {
    const config = cfg({ segmentBytes: 4096 });
    const events: StorageEvent[] = [];
    const log = await PartitionLog.open(dir, 't', 0, config, { onEvent: (e) => events.push(e) });
    const batches: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const b = sizedBatch(900, 0x61 + i);
      batches.push(Buffer.from(b));
      await log.append(b, NOW);
    }
    expect(log.segmentCount).toBeGreaterThan(4);
    expect(events.filter((e) => e.type === 'segment-rolled').length).toBe(log.segmentCount - 1);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
    expect(files[0]).toBe('00000000000000000000.log');
    const check = async (l: PartitionLog) => {
      for (let i = 0; i < 20; i++) {
        const got = splitBatches((await l.read(BigInt(i), 1)).records);
        expect(got[0]!.baseOffset).toBe(BigInt(i));
        expect(sameBatchBody(got[0]!.bytes, batches[i]!)).toBe(true);
      }
    };
    await check(log);
    await log.close();
    const again = await PartitionLog.open(dir, 't', 0, config);
    expect(again.highWatermark).toBe(20n);
    await check(again);
    await again.close();
  });

  it('rebuilds a deleted .index on open and reads still work', async () => {
    const config = cfg({ segmentBytes: 64 * 1024 });
    const log = await PartitionLog.open(dir, 't', 0, config);
    for (let i = 0; i < 200; i++) await log.append(sizedBatch(1000, 0x30 + (i % 50)), NOW);
    await log.close();
    const indexes = (await readdir(dir)).filter((f) => f.endsWith('.index'));
    expect(indexes.length).toBeGreaterThan(1);
    for (const f of indexes) await rm(join(dir, f));
    const events: StorageEvent[] = [];
    const again = await PartitionLog.open(dir, 't', 0, config, { onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'index-rebuilt').length).toBe(indexes.length);
    expect((await readdir(dir)).filter((f) => f.endsWith('.index')).length).toBe(indexes.length);
    for (const off of [0n, 77n, 150n, 199n]) {
      expect(splitBatches((await again.read(off, 1)).records)[0]!.baseOffset).toBe(off);
    }
    await again.close();
  });
});

describe('PartitionLog recovery', () => {
  const setup = async (): Promise<Buffer[]> => {
    const log = await PartitionLog.open(dir, 't', 0, cfg());
    const kept: Buffer[] = [];
    for (let i = 0; i < 10; i++) {
      const b = simpleBatch(`r${i}`, 3);
      kept.push(Buffer.from(b));
      await log.append(b, NOW);
    }
    await log.close();
    return kept;
  };
  const reopenAndCheck = async (kept: Buffer[], expectTruncation: boolean) => {
    const events: StorageEvent[] = [];
    const log = await PartitionLog.open(dir, 't', 0, cfg(), { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type === 'tail-truncated')).toBe(expectTruncation);
    expect(log.highWatermark).toBe(30n);
    const got = splitBatches((await log.read(0n, 1 << 20)).records);
    expect(got.length).toBe(10);
    got.forEach((g, i) => expect(sameBatchBody(g.bytes, kept[i]!)).toBe(true));
    // the log keeps working after recovery
    expect((await log.append(simpleBatch('after', 1), NOW)).baseOffset).toBe(30n);
    await log.close();
  };
  const segFile = () => join(dir, '00000000000000000000.log');

  it('cuts junk bytes off the tail', async () => {
    const kept = await setup();
    await appendFile(segFile(), Buffer.from('this is not a record batch, just junk at the end of the file!!!!!!!!'));
    await reopenAndCheck(kept, true);
  });

  it('cuts half a batch off the tail', async () => {
    const kept = await setup();
    const half = simpleBatch('torn', 5);
    half.writeBigInt64BE(30n, 0);
    await appendFile(segFile(), half.subarray(0, Math.floor(half.length / 2)));
    await reopenAndCheck(kept, true);
  });

  it('cuts a whole trailing batch whose CRC is bad', async () => {
    const kept = await setup();
    const bad = simpleBatch('flipped', 2);
    bad.writeBigInt64BE(30n, 0);
    bad[bad.length - 1]! ^= 1;
    await appendFile(segFile(), bad);
    await reopenAndCheck(kept, true);
  });

  it('reports nothing after a clean close', async () => {
    const kept = await setup();
    await reopenAndCheck(kept, false);
  });

  it('a crash inside a batch header (fewer than 61 bytes) is cut too', async () => {
    const kept = await setup();
    const s = await stat(segFile());
    await appendFile(segFile(), simpleBatch('x', 1).subarray(0, 20));
    await reopenAndCheck(kept, true);
    expect((await stat(segFile())).size).toBeGreaterThan(s.size); // the 'after' batch was appended
    await truncate(segFile(), s.size);
  });
});

describe('PartitionLog offsetForTimestamp', () => {
  it('finds the first batch whose max timestamp >= ts', async () => {
    const log = await PartitionLog.open(dir, 't', 0, cfg({ segmentBytes: 2048 }));
    for (let i = 0; i < 20; i++) await log.append(sizedBatch(500, 0x61, { baseTimestamp: 1000n + BigInt(i) * 10n }), NOW);
    expect(await log.offsetForTimestamp(0n)).toBe(0n);
    expect(await log.offsetForTimestamp(1000n)).toBe(0n);
    expect(await log.offsetForTimestamp(1001n)).toBe(1n);
    expect(await log.offsetForTimestamp(1150n)).toBe(15n);
    expect(await log.offsetForTimestamp(1190n)).toBe(19n);
    expect(await log.offsetForTimestamp(1191n)).toBeNull();
    await log.close();
  });
});

describe('PartitionLog recovery of a closed segment', () => {
  it('a bad batch inside a closed segment ends the log there and drops the later segments', async () => {
    const config = cfg({ segmentBytes: 4096 });
    const log = await PartitionLog.open(dir, 't', 0, config);
    const sent: Buffer[] = [];
    for (let i = 0; i < 12; i++) {
      const b = sizedBatch(900, 0x61 + i);
      sent.push(Buffer.from(b));
      await log.append(b, NOW);
    }
    expect(log.segmentCount).toBeGreaterThanOrEqual(3);
    await log.close();
    // Smash the magic byte of the 2nd batch of the first segment.
    const { open } = await import('node:fs/promises');
    const fd = await open(join(dir, '00000000000000000000.log'), 'r+');
    await fd.write(Buffer.from([0x63]), 0, 1, sent[0]!.length + 16);
    await fd.close();
    const events: StorageEvent[] = [];
    const again = await PartitionLog.open(dir, 't', 0, config, { onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['tail-truncated', 'segments-dropped']));
    expect(again.highWatermark).toBe(1n);
    expect(again.segmentCount).toBe(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.log'))).toEqual(['00000000000000000000.log']);
    expect(sameBatchBody(splitBatches((await again.read(0n, 1 << 20)).records)[0]!.bytes, sent[0]!)).toBe(true);
    expect((await again.append(simpleBatch('next', 1), NOW)).baseOffset).toBe(1n);
    await again.close();
  });
});
