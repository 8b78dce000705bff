// The pipelined batch loop against hand-written fakes of the kafkajs consumer and the typed
// producer: offsets are committed only when a batch and every batch before it are durable,
// undecodable values are dead-lettered as part of the batch's durable work, a handler may
// hold commits back, and a durable failure resets the handler and re-joins (no commit past it).
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BatchConsumerLoop } from '../../src/consumer/batch-loop.ts';
import type { BatchOutcome, DecodedBatch, LoopBatchPayload, LoopConsumer, LoopUndecodablePayload } from '../../src/consumer/batch-loop.ts';
import type { DeadLetterInput } from '../../src/generated/types.ts';
import type { TypedProducer } from '../../src/producer.ts';

const topic = 'exec.request.received.v1' as const;
const log = pino({ level: 'silent' });

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: unknown): void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function fakes(events: string[], letters: DeadLetterInput[] = []) {
  let eachBatch: ((p: LoopBatchPayload) => Promise<void>) | undefined;
  let eachUndecodableBatch: ((p: LoopUndecodablePayload) => Promise<void>) | undefined;
  let runs = 0;
  const consumer: LoopConsumer = {
    connect: async () => { events.push('connect'); },
    subscribe: async () => {},
    run: async (cfg) => { runs += 1; events.push(`run ${runs}`); eachBatch = cfg.eachBatch; eachUndecodableBatch = cfg.eachUndecodableBatch; },
    stop: async () => { events.push('stop'); },
    commitOffsets: async (o: { partition: number; offset: string }[]) => { events.push(`commit ${o.map((x) => `${x.partition}@${x.offset}`).join(',')}`); },
    disconnect: async () => { events.push('disconnect'); },
  };
  // decodeSync answers undefined for values starting with '?' (writer schema not looked up
  // yet): the loop must then await decode(), which records the lookup.
  const decoded = (b: Buffer | null) => (b?.[0] === 0 ? { ok: true, value: { requestId: b.subarray(1).toString().replace(/^\?/, '') }, schemaId: 1 } : { ok: false, code: 'DECODE_FAILED', text: 'bad magic', retriable: false });
  const producer = {
    codec: () => ({
      decodeSync: (b: Buffer | null) => (b?.[1] === 0x3f ? undefined : decoded(b)),
      decode: async (b: Buffer | null) => { events.push('async decode'); return decoded(b); },
    }),
    send: async (t: string, m: { value: DeadLetterInput }[]) => { letters.push(...m.map((x) => x.value)); events.push(`dlq ${t} ${m.map((x) => `${x.value.sourceOffset} ${x.value.reasonCode}`).join(',')}`); },
  } as unknown as TypedProducer;
  // withKeys: message i gets key `k<i>`, header h = `h<i>` and timestamp `<i>` (else null, none, '0').
  const batch = (partition: number, first: number, values: Buffer[], withKeys = false) => eachBatch?.({
    batch: { topic, partition, highWatermark: String(first + values.length), messages: values.map((value, i) => ({ offset: String(first + i), key: withKeys ? Buffer.from(`k${i}`) : null, value, headers: withKeys ? { h: Buffer.from(`h${i}`) } : {}, timestamp: withKeys ? String(i) : '0', attributes: 0 })) },
    heartbeat: async () => {}, isRunning: () => true, isStale: () => false, resolveOffset: (o: string) => { events.push(`resolve ${partition}@${o}`); },
  });
  // What @warmcast/lean-client hands over for a batch it could not decode.
  const undecodable = (partition: number, base: number, last: number, bytes: Buffer, reason: string) => eachUndecodableBatch?.({
    batch: { topic, partition, baseOffset: String(base), lastOffset: String(last), bytes, reason },
    isRunning: () => true, isStale: () => false, resolveOffset: (o: string) => { events.push(`resolve ${partition}@${o}`); },
  });
  return { consumer, producer, batch, undecodable };
}

const msg = (id: string) => Buffer.concat([Buffer.from([0]), Buffer.from(id)]);
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('BatchConsumerLoop', () => {
  it('fetches on without waiting and commits each batch only when it and all earlier batches are durable', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const durables = [deferred(), deferred()];
    const seen: string[][] = [];
    let n = 0;
    const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: (b: DecodedBatch): BatchOutcome => {
      seen.push(b.values.map((v) => (v as { requestId: string }).requestId));
      return { durable: durables[n++]!.promise };
    } });
    await loop.start();
    await batch(0, 0, [msg('a'), msg('b')]);
    await batch(1, 0, [msg('c')]);
    expect(seen).toEqual([['a', 'b'], ['c']]);
    durables[1]!.resolve(); // the later batch is durable first: nothing may be committed yet
    await tick(); await tick();
    expect(events.filter((e) => e.startsWith('commit'))).toEqual([]);
    durables[0]!.resolve();
    await loop.drain();
    expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@2,1@1']);
  });

  it('dead-letters undecodable values with the batch and never hands them to the handler', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: (b) => { events.push(`handle ${b.values.length}`); return { durable: Promise.resolve() }; } });
    await loop.start();
    await batch(0, 5, [msg('a'), Buffer.from('junk'), msg('c')]);
    await loop.drain();
    expect(events).toEqual(['connect', 'run 1', 'handle 2', 'dlq ops.deadletter.v1 6 DECODE_FAILED', 'resolve 0@7', 'commit 0@8']);
  });

  it('keeps each decoded value tied to its original message (offset, key, headers, bytes) when others were dead-lettered', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const seen: { id: string; offset: number; raw: unknown; message: unknown }[] = [];
    const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: (b) => {
      b.values.forEach((v, i) => seen.push({ id: (v as { requestId: string }).requestId, offset: b.offsets[i]!, raw: b.raw(i), message: b.message(i) }));
      expect(() => b.raw(b.values.length)).toThrow(RangeError);
      return { durable: Promise.resolve() };
    } });
    await loop.start();
    await batch(3, 10, [msg('a'), Buffer.from('junk'), msg('c'), Buffer.from('junk2'), msg('e')], true);
    await loop.drain();
    const raw = (i: number, id: string) => ({ topic, partition: 3, offset: String(10 + i), key: Buffer.from(`k${i}`), value: msg(id), headers: { h: Buffer.from(`h${i}`) } });
    expect(seen).toEqual([
      { id: 'a', offset: 10, raw: raw(0, 'a'), message: { offset: '10', key: Buffer.from('k0'), value: { requestId: 'a' }, timestamp: '0', raw: raw(0, 'a') } },
      { id: 'c', offset: 12, raw: raw(2, 'c'), message: { offset: '12', key: Buffer.from('k2'), value: { requestId: 'c' }, timestamp: '2', raw: raw(2, 'c') } },
      { id: 'e', offset: 14, raw: raw(4, 'e'), message: { offset: '14', key: Buffer.from('k4'), value: { requestId: 'e' }, timestamp: '4', raw: raw(4, 'e') } },
    ]);
    expect(events).toContain('dlq ops.deadletter.v1 11 DECODE_FAILED,13 DECODE_FAILED');
  });

  it('decodes synchronously, awaiting decode() only where decodeSync cannot answer yet', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const seen: string[] = [];
    const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: (b) => { seen.push(...b.values.map((v) => (v as { requestId: string }).requestId)); return { durable: Promise.resolve() }; } });
    await loop.start();
    await batch(0, 0, [msg('a'), msg('?b'), msg('c')]);
    await loop.drain();
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(events.filter((e) => e === 'async decode')).toEqual(['async decode']);
  });

  it('commits what the handler says (holding back offsets), not the batch end', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: () => ({ durable: Promise.resolve(), commit: [{ topic, partition: 0, offset: '1' }] }) });
    await loop.start();
    await batch(0, 0, [msg('a'), msg('b'), msg('c')]);
    await loop.drain();
    expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@1']);
  });

  it('after a durable failure commits nothing past it, resets the handler and re-joins from committed offsets', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const outcomes = [Promise.resolve(), Promise.reject(new Error('clickhouse down')), Promise.resolve()];
    outcomes[1]!.catch(() => undefined);
    let n = 0;
    const loop = new BatchConsumerLoop({
      consumer, topics: [topic], producer, log, service: 'svc', clock: { now: () => 0, sleep: async () => {} },
      handler: () => ({ durable: outcomes[n++]! }), onReset: () => { events.push('reset'); },
    });
    await loop.start();
    await batch(0, 0, [msg('a')]);
    await batch(0, 1, [msg('b')]);
    await batch(0, 2, [msg('c')]);
    for (let i = 0; i < 10; i++) await tick();
    const after = events.slice(events.indexOf('run 1') + 1).filter((e) => !e.startsWith('resolve'));
    expect(after).toEqual(['commit 0@1', 'stop', 'reset', 'run 2']);
    expect(loop.counts.resets).toBe(1);
  });

  describe('a record batch the consumer could not decode (lean-client eachUndecodableBatch)', () => {
    it('is dead-lettered whole (bytes, base offset, range and cause) and committed past once durable, in order with the batches around it', async () => {
      const events: string[] = [];
      const letters: DeadLetterInput[] = [];
      const { consumer, producer, batch, undecodable } = fakes(events, letters);
      const durables = [deferred(), deferred()];
      let n = 0;
      const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', clock: { now: () => 1_763_900_000_000, sleep: async () => {} }, handler: () => ({ durable: durables[n++]!.promise }) });
      await loop.start();
      const response = Buffer.alloc(64 * 1024, 7); // a Fetch response; the batch is a view of it
      const bytes = response.subarray(100, 180);
      await batch(0, 0, [msg('a'), msg('b')]);
      await undecodable(0, 2, 4, bytes, 'lz4 batch (codec 3) failed to decompress: checksum mismatch');
      await batch(0, 5, [msg('f')]);
      await tick(); await tick();
      // The dead letter is durable at once, but the batch before it is not: nothing is committed.
      expect(events.filter((e) => e.startsWith('commit'))).toEqual([]);
      durables[0]!.resolve();
      await tick(); await tick(); await tick();
      expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@5']);
      durables[1]!.resolve();
      await loop.drain();
      expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@5', 'commit 0@6']);
      expect(events.filter((e) => e.startsWith('resolve'))).toEqual(['resolve 0@1', 'resolve 0@4', 'resolve 0@5']);
      expect(letters).toEqual([{
        sourceTopic: topic, sourcePartition: 0, sourceOffset: 2, key: null, value: bytes, headers: [], reasonCode: 'DECODE_FAILED',
        reasonText: 'undecodable record batch, offsets 2..4 (value: the batch as fetched): lz4 batch (codec 3) failed to decompress: checksum mismatch',
        attempts: 1, service: 'svc', failedAt: 1_763_900_000_000,
      }]);
      expect(letters[0]?.value?.buffer).not.toBe(response.buffer); // a copy: a view would keep the whole response alive
      expect(loop.counts.undecodableBatches).toBe(1);
    });

    it('commits nothing of its own while the handler holds offsets back on that partition; the handler\'s next commit covers it', async () => {
      const events: string[] = [];
      const { consumer, producer, batch, undecodable } = fakes(events);
      const commits = [[{ topic, partition: 0, offset: '1' }], [{ topic, partition: 0, offset: '6' }]];
      let n = 0;
      const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: () => ({ durable: Promise.resolve(), commit: commits[n++]! }) });
      await loop.start();
      await batch(0, 0, [msg('a'), msg('b')]); // the handler holds offset 1 (b waits for its pair)
      await undecodable(0, 2, 4, Buffer.from('bad'), 'unknown codec 7');
      await loop.drain();
      expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@1']);
      await batch(0, 5, [msg('f')]);
      await loop.drain();
      expect(events.filter((e) => e.startsWith('commit'))).toEqual(['commit 0@1', 'commit 0@6']);
      expect(events).toContain('dlq ops.deadletter.v1 2 DECODE_FAILED');
    });

    it('is left for re-delivery (not resolved, not dead-lettered) while the loop resets', async () => {
      const events: string[] = [];
      const { consumer, producer, undecodable } = fakes(events);
      const loop = new BatchConsumerLoop({ consumer, topics: [topic], producer, log, service: 'svc', handler: () => ({ durable: Promise.resolve() }) });
      await loop.start();
      await loop.close();
      await undecodable(0, 2, 4, Buffer.from('bad'), 'unknown codec 7');
      expect(events.filter((e) => e.startsWith('resolve') || e.startsWith('dlq'))).toEqual([]);
    });
  });
});
