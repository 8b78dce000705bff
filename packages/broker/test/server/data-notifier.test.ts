import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DataNotifier } from '../../src/server/data-notifier.ts';

describe('DataNotifier', () => {
  it('wakes waiters of the notified partition only, and forgets them', async () => {
    const n = new DataNotifier();
    const ac = new AbortController();
    let woke0 = false;
    let woke1 = false;
    const w0 = n.wait('t', 0, ac.signal).then(() => { woke0 = true; });
    void n.wait('t', 1, ac.signal).then(() => { woke1 = true; });
    expect(n.pending).toBe(2);
    n.notify('t', 0);
    await w0;
    expect(woke0).toBe(true);
    expect(woke1).toBe(false);
    expect(n.pending).toBe(1);
    ac.abort();
    await Promise.resolve();
    expect(woke1).toBe(true);
    expect(n.pending).toBe(0);
  });

  it('resolves at once for an aborted signal', async () => {
    const n = new DataNotifier();
    await n.wait('t', 0, AbortSignal.abort());
    expect(n.pending).toBe(0);
  });

  it('waits on many partitions with ONE abort listener and forgets every one of them on wake', async () => {
    const n = new DataNotifier();
    const ac = new AbortController();
    const parts = Array.from({ length: 24 }, (_, i) => ({ topic: i % 2 === 0 ? 'a' : 'b', partition: i }));
    let woke = false;
    const w = n.waitAny(parts, ac.signal).then(() => { woke = true; });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    expect(n.pending).toBe(24);
    n.notify('b', 13);
    await w;
    expect(woke).toBe(true);
    expect(n.pending).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    n.notify('a', 0); // a later notify finds nobody and must not throw
  });
});
