import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogManager, resolveLogConfig } from '../../src/storage/index.ts';
import { simpleBatch, sizedBatch } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_100_000;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());
const config = resolveLogConfig({ fsync: 'os' });

describe('LogManager', () => {
  it('creates topics with partitions, persists them with a 16-byte topic id, and reopens every partition', async () => {
    const m = await LogManager.open(dir, config);
    await m.createTopic('orders', 3, { 'retention.ms': '1000', 'cleanup.policy': 'delete' });
    await m.createTopic('events', 1);
    expect(m.hasTopic('orders')).toBe(true);
    const orders = m.topics().find((t) => t.name === 'orders')!;
    expect(orders.partitions).toBe(3);
    expect(orders.topicId.length).toBe(16);
    expect(orders.configs).toEqual({ 'retention.ms': '1000', 'cleanup.policy': 'delete' });
    await m.partition('orders', 2)!.append(simpleBatch('x', 4), NOW);
    expect(m.partition('orders', 3)).toBeUndefined();
    expect(m.partition('nope', 0)).toBeUndefined();
    await m.close();
    expect(JSON.parse(await readFile(join(dir, 'topics.json'), 'utf8')).topics).toHaveLength(2);

    const again = await LogManager.open(dir, config);
    expect(again.topics().map((t) => t.name).sort()).toEqual(['events', 'orders']);
    expect(again.topics().find((t) => t.name === 'orders')!.topicId.equals(orders.topicId)).toBe(true);
    expect(again.partition('orders', 2)!.highWatermark).toBe(4n);
    await again.close();
  });

  const bad: Array<[string, string, number, string]> = [
    ['existing name', 'dup', 1, 'TOPIC_ALREADY_EXISTS'],
    ['zero partitions', 'zero', 0, 'INVALID_PARTITIONS'],
    ['fractional partitions', 'frac', 1.5, 'INVALID_PARTITIONS'],
    ['illegal char', 'a/b', 1, 'INVALID_TOPIC_EXCEPTION'],
    ['dot', '.', 1, 'INVALID_TOPIC_EXCEPTION'],
    ['dotdot', '..', 1, 'INVALID_TOPIC_EXCEPTION'],
    ['empty', '', 1, 'INVALID_TOPIC_EXCEPTION'],
    ['250 chars', 'a'.repeat(250), 1, 'INVALID_TOPIC_EXCEPTION'],
  ];
  for (const [what, name, n, code] of bad) {
    it(`refuses ${what} with ${code}`, async () => {
      const m = await LogManager.open(dir, config);
      await m.createTopic('dup', 1);
      await expect(m.createTopic(name, n)).rejects.toMatchObject({ code });
      await m.close();
    });
  }

  it('accepts a 249-char name with all legal characters', async () => {
    const m = await LogManager.open(dir, config);
    await m.createTopic(`aZ09._-${'x'.repeat(242)}`, 1);
    await m.close();
  });

  it('rejects a bad topic config value with INVALID_CONFIG', async () => {
    const m = await LogManager.open(dir, config);
    await expect(m.createTopic('c', 1, { 'segment.bytes': 'lots' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(m.hasTopic('c')).toBe(false);
    await m.close();
  });

  it('deletes a topic and its files; the name can be reused empty', async () => {
    const m = await LogManager.open(dir, config);
    await m.createTopic('gone', 2);
    await m.partition('gone', 0)!.append(simpleBatch('x', 3), NOW);
    await m.deleteTopic('gone');
    expect(m.hasTopic('gone')).toBe(false);
    expect((await readdir(dir)).filter((f) => f.startsWith('gone-'))).toEqual([]);
    await expect(m.deleteTopic('gone')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    await m.createTopic('gone', 1);
    expect(m.partition('gone', 0)!.highWatermark).toBe(0n);
    await m.close();
  });

  it('grows partitions, never shrinks', async () => {
    const m = await LogManager.open(dir, config);
    await m.createTopic('g', 2);
    await m.createPartitions('g', 5);
    expect(m.partition('g', 4)).toBeDefined();
    await expect(m.createPartitions('g', 5)).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await expect(m.createPartitions('g', 3)).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await expect(m.createPartitions('none', 3)).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    await m.close();
    const again = await LogManager.open(dir, config);
    expect(again.topics()[0]!.partitions).toBe(5);
    await again.close();
  });

  it('applies topic retention overrides in enforceRetention', async () => {
    const m = await LogManager.open(dir, resolveLogConfig({ fsync: 'os', segmentBytes: 2500 }));
    await m.createTopic('short', 1, { 'retention.ms': '1000' });
    await m.createTopic('long', 1);
    for (const t of ['short', 'long']) {
      for (let i = 0; i < 6; i++) await m.partition(t, 0)!.append(sizedBatch(1000, 0x61, { baseTimestamp: 0n }), 0);
    }
    await m.enforceRetention(10_000);
    expect(m.partition('short', 0)!.logStartOffset).toBe(4n);
    expect(m.partition('long', 0)!.logStartOffset).toBe(0n);
    await m.close();
  });

  it('serializes concurrent creates of one name: exactly one wins', async () => {
    const m = await LogManager.open(dir, config);
    const results = await Promise.allSettled([m.createTopic('race', 1), m.createTopic('race', 1)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await m.close();
  });
});
