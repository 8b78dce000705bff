// The pipelined batch loop against hand-written fakes of the kafkajs consumer and the typed
// producer: offsets are committed only when a batch and every batch before it are durable,
// undecodable values are dead-lettered as part of the batch's durable work, a handler may
// hold commits back, and a durable failure resets the handler and re-joins (no commit past it).
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BatchConsumerLoop } from '../../src/consumer/batch-loop.ts';
import type { BatchOutcome, DecodedBatch, LoopBatchPayload, LoopConsumer } from '../../src/consumer/batch-loop.ts';
import type { TypedProducer } from '../../src/producer.ts';

const topic = 'exec.request.received.v1' as const;
const log = pino({ level: 'silent' });

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: unknown): void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function fakes(events: string[]) {
  let eachBatch: ((p: LoopBatchPayload) => Promise<void>) | undefined;
  let runs = 0;
  const consumer: LoopConsumer = {
    connect: async () => { events.push('connect'); },
    subscribe: async () => {},
    run: async (cfg) => { runs += 1; events.push(`run ${runs}`); eachBatch = cfg.eachBatch; },
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
    send: async (t: string, m: { value: { sourceOffset: number; reasonCode: string } }[]) => { events.push(`dlq ${t} ${m.map((x) => `${x.value.sourceOffset} ${x.value.reasonCode}`).join(',')}`); },
  } as unknown as TypedProducer;
  // withKeys: message i gets key `k<i>`, header h = `h<i>` and timestamp `<i>` (else null, none, '0').
  const batch = (partition: number, first: number, values: Buffer[], withKeys = false) => eachBatch?.({
    batch: { topic, partition, highWatermark: String(first + values.length), messages: values.map((value, i) => ({ offset: String(first + i), key: withKeys ? Buffer.from(`k${i}`) : null, value, headers: withKeys ? { h: Buffer.from(`h${i}`) } : {}, timestamp: withKeys ? String(i) : '0', attributes: 0 })) },
    heartbeat: async () => {}, isRunning: () => true, isStale: () => false, resolveOffset: (o: string) => { events.push(`resolve ${partition}@${o}`); },
  });
  return { consumer, producer, batch };
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
});
