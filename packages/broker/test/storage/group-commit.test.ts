import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PartitionLog, resolveLogConfig } from '../../src/storage/index.ts';
import { GroupCommit } from '../../src/storage/group-commit.ts';
import { Segment } from '../../src/storage/segment.ts';
import { simpleBatch } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

/** A sync we finish by hand. */
function manualSync() {
  const pending: Array<() => void> = [];
  let calls = 0;
  const doSync = () => {
    calls++;
    return new Promise<void>((resolve) => pending.push(resolve));
  };
  return { doSync, calls: () => calls, finishNext: () => pending.shift()!() };
}
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('one caller alone gets one sync', async () => {
    const m = manualSync();
    const g = new GroupCommit(m.doSync);
    const p = g.request();
    expect(m.calls()).toBe(1);
    m.finishNext();
    await p;
  });

  it('callers arriving during a sync share the next one: 1 + 8 callers cost 2 syncs', async () => {
    const m = manualSync();
    const g = new GroupCommit(m.doSync);
    let done = 0;
    const first = g.request().then(() => done++);
    const later = Array.from({ length: 8 }, () => g.request().then(() => done++));
    expect(m.calls()).toBe(1);
    m.finishNext();
    await first;
    await tick();
    expect(done).toBe(1); // the 8 wrote after the first sync began: they must not ride on it
    expect(m.calls()).toBe(2);
    m.finishNext();
    await Promise.all(later);
    expect(done).toBe(9);
    expect(m.calls()).toBe(2);
  });

  it('a failed sync rejects its callers and the next round still runs', async () => {
    let n = 0;
    const g = new GroupCommit(async () => {
      n++;
      if (n === 1) throw new Error('EIO');
    });
    await expect(g.request()).rejects.toThrow('EIO');
    await g.request();
    expect(n).toBe(2);
  });
});

describe('fsync always through PartitionLog', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    vi.restoreAllMocks();
    await cleanup();
  });

  it('8 concurrent appends all land in call order and share one fsync', async () => {
    const sync = vi.spyOn(Segment.prototype, 'sync');
    const log = await PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'always' }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => log.append(simpleBatch(`c${i}`, 2), 0)));
    expect(results.map((r) => r.baseOffset)).toEqual([0n, 2n, 4n, 6n, 8n, 10n, 12n, 14n]); // call order
    // queued together -> one write(2) and one shared fsync
    expect(sync).toHaveBeenCalledTimes(1);
    await log.close();
  });

  it('under os, appends never fsync before close', async () => {
    const sync = vi.spyOn(Segment.prototype, 'sync');
    const log = await PartitionLog.open(dir, 't', 0, resolveLogConfig({ fsync: 'os' }));
    for (let i = 0; i < 5; i++) await log.append(simpleBatch(`o${i}`, 1), 0);
    expect(sync).not.toHaveBeenCalled();
    await log.close();
    expect(sync).toHaveBeenCalledTimes(1);
  });
});
