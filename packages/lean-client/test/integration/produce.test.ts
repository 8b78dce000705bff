// LeanProducer against the embedded broker, read back with the lean consumer: murmur2 placement,
// explicit partitions, keyless records, batches split under the request bound, per-key order,
// and the clear error after N attempts when the topic does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';
import { LeanClientError, LeanProducer, partitionOf } from '../../src/index.ts';
import { collect, createTopic, lean } from './helpers.ts';

let env: Embedded;
beforeAll(async () => { env = await startEmbedded({ name: 'lean-produce', topics: 'none' }); });
afterAll(async () => { await env.stop(); });

describe('LeanProducer', () => {
  it('places keyed records by murmur2, honours explicit partitions, keeps per-key order, splits big sends', async () => {
    await createTopic(env, 'lp.out', 4);
    const p = new LeanProducer({ brokers: env.brokers, clientId: 'lp', maxBatchBytes: 4096 });
    // 3,000 keyed records of ~100 B at a 4 KB bound: ~70 batches, several rounds per partition.
    const keyed = Array.from({ length: 3000 }, (_, i) => ({ key: `user-${i % 11}`, value: Buffer.from(`${i}:`.padEnd(100, 'x')) }));
    const pinned = Array.from({ length: 50 }, (_, i) => ({ key: `user-${i}`, value: Buffer.from(`pinned-${i}`), partition: 3 }));
    const keyless = [{ key: null, value: Buffer.from('keyless'), partition: 1 }];
    await Promise.all([p.send('lp.out', keyed.slice(0, 1500)), p.send('lp.out', keyed.slice(1500)), p.send('lp.out', pinned), p.send('lp.out', keyless)]);
    expect(p.sent).toBe(3051);
    await p.close();

    const c = lean(env.brokers, 'lp-check');
    const col = await collect(c, ['lp.out']);
    await col.until(3051);
    await c.disconnect();
    expect(col.got).toHaveLength(3051);
    const seqByKey = new Map<string, number[]>();
    for (const g of col.got) {
      const v = g.message.value!.toString();
      if (v.startsWith('pinned-')) { expect(g.partition).toBe(3); continue; }
      if (v === 'keyless') { expect(g.partition).toBe(1); expect(g.message.key).toBeNull(); continue; }
      const key = g.message.key!.toString();
      expect(g.partition).toBe(partitionOf(Buffer.from(key), 4));
      const l = seqByKey.get(key) ?? [];
      l.push(Number(v.split(':')[0]));
      seqByKey.set(key, l);
    }
    expect(seqByKey.size).toBe(11);
    for (const l of seqByKey.values()) expect(l).toEqual([...l].sort((a, b) => a - b));
  }, 60_000);

  it('retries an unknown topic with metadata refreshes, then fails with PRODUCE_FAILED naming the attempts', async () => {
    const p = new LeanProducer({ brokers: env.brokers, clientId: 'lp-missing', attempts: 3, retryBackoffMs: 1 });
    const err = await p.send('lp.missing', [{ key: 'k', value: Buffer.from('v') }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeanClientError);
    expect((err as LeanClientError).code).toBe('PRODUCE_FAILED');
    expect((err as LeanClientError).message).toContain('after 3 attempts');
    expect(p.sent).toBe(0);
    await p.close();
  });

  it('refuses a partition the topic does not have, without retrying', async () => {
    await createTopic(env, 'lp.small', 2);
    const p = new LeanProducer({ brokers: env.brokers, clientId: 'lp-small', attempts: 3, retryBackoffMs: 1 });
    const err = await p.send('lp.small', [{ key: 'k', value: Buffer.from('v'), partition: 5 }]).catch((e: unknown) => e);
    expect((err as LeanClientError).code).toBe('PRODUCE_FAILED');
    expect((err as LeanClientError).retriable).toBe(false);
    await p.close();
  });

  it('a topic created between attempts is found by the metadata refresh', async () => {
    const p = new LeanProducer({ brokers: env.brokers, clientId: 'lp-late', attempts: 8, retryBackoffMs: 20 });
    const sending = p.send('lp.late', [{ key: 'k', value: Buffer.from('v') }]);
    await createTopic(env, 'lp.late', 1);
    await sending;
    expect(p.sent).toBe(1);
    await p.close();
  });
});
