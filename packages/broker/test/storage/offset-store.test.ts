import { appendFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OffsetStore, resolveLogConfig } from '../../src/storage/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());
const config = resolveLogConfig({ fsync: 'always' });
const e = (topic: string, partition: number, offset: bigint, metadata: string | null = null) => ({ topic, partition, offset, leaderEpoch: 3, metadata });

describe('OffsetStore', () => {
  it('commits survive reopen, latest value wins', async () => {
    const s = await OffsetStore.open(dir, config);
    await s.commit('g1', [e('t', 0, 10n), e('t', 1, 20n, 'm')], 1);
    await s.commit('g1', [e('t', 0, 11n)], 2);
    await s.commit('g2', [e('u', 0, 5n)], 3);
    await s.putGroupMetadata('g3', { protocolType: 'consumer', generation: 7 });
    expect(s.fetch('g1', 't', 0)).toEqual({ offset: 11n, leaderEpoch: 3, metadata: null });
    await s.close();
    const again = await OffsetStore.open(dir, config);
    expect(again.fetch('g1', 't', 0)!.offset).toBe(11n);
    expect(again.fetch('g1', 't', 1)).toEqual({ offset: 20n, leaderEpoch: 3, metadata: 'm' });
    expect(again.fetch('g1', 't', 2)).toBeUndefined();
    expect(again.groupOffsets('g1')).toHaveLength(2);
    expect(again.groups().sort()).toEqual(['g1', 'g2', 'g3']);
    expect(again.groupMetadata('g3')).toEqual({ protocolType: 'consumer', generation: 7 });
    await again.close();
  });

  it('deleteGroup and deleteTopic survive reopen', async () => {
    const s = await OffsetStore.open(dir, config);
    await s.commit('g1', [e('t', 0, 1n), e('dead', 0, 2n)], 1);
    await s.commit('g2', [e('dead', 0, 3n)], 1);
    await s.putGroupMetadata('g1', { x: 1 });
    await s.deleteTopic('dead');
    await s.deleteGroup('g1');
    await s.close();
    const again = await OffsetStore.open(dir, config);
    expect(again.groups()).toEqual([]);
    expect(again.groupMetadata('g1')).toBeUndefined();
    await again.close();
  });

  it('compacts past 4x live size and keeps the latest values', async () => {
    const s = await OffsetStore.open(dir, resolveLogConfig({ fsync: 'os' }));
    const path = join(dir, '__offsets', 'commits.log');
    let maxSeen = 0;
    for (let i = 0; i < 3000; i++) {
      await s.commit('g', [e('t', i % 4, BigInt(i))], i);
      maxSeen = Math.max(maxSeen, s.logBytes);
    }
    // 3000 lines of ~60 bytes = ~180 KB uncompacted; live state is one line (~150 bytes)
    expect((await stat(path)).size).toBeLessThan(70 * 1024);
    expect(maxSeen).toBeLessThanOrEqual(64 * 1024 + 100);
    for (let p = 0; p < 4; p++) expect(s.fetch('g', 't', p)!.offset).toBe(BigInt(2996 + p));
    await s.close();
    const again = await OffsetStore.open(dir, config);
    for (let p = 0; p < 4; p++) expect(again.fetch('g', 't', p)!.offset).toBe(BigInt(2996 + p));
    await again.close();
  });

  it('drops a torn last line on open and keeps working', async () => {
    const s = await OffsetStore.open(dir, config);
    await s.commit('g', [e('t', 0, 7n)], 1);
    await s.close();
    await appendFile(join(dir, '__offsets', 'commits.log'), '{"op":"commit","g":"g","e":[["t",0,"99"');
    const again = await OffsetStore.open(dir, config);
    expect(again.fetch('g', 't', 0)!.offset).toBe(7n);
    await again.commit('g', [e('t', 0, 8n)], 2);
    await again.close();
    const third = await OffsetStore.open(dir, config);
    expect(third.fetch('g', 't', 0)!.offset).toBe(8n);
    await third.close();
  });
});
