// The consumer loop shell against hand-written fakes of the kafkajs consumer and the typed
// producer: commits follow durable work, one commit per finished message, and close()
// during a retry back-off leaves that message uncommitted (it will be re-delivered).
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { ConsumerLoop, classifyHandlerError } from '../../src/consumer/loop.ts';
import type { CommitHold } from '../../src/consumer/loop.ts';
import type { TypedProducer } from '../../src/producer.ts';
import { WarmcastError } from '../../src/errors.ts';

const topic = 'exec.request.received.v1' as const;
const log = pino({ level: 'silent' });

function fakes(events: string[]) {
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    connect: async () => { events.push('connect'); },
    subscribe: async () => {},
    run: async (cfg: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => { eachBatch = cfg.eachBatch; },
    commitOffsets: async (o: { offset: string }[]) => { events.push(`commit ${o[0]?.offset}`); },
    disconnect: async () => { events.push('disconnect'); },
  } as unknown as Consumer;
  const producer = {
    codec: () => ({ decode: async (b: Buffer | null) => (b?.[0] === 0 ? { ok: true, value: { requestId: b.subarray(1).toString() }, schemaId: 1 } : { ok: false, code: 'DECODE_FAILED', text: 'bad magic', retriable: false }) }),
    send: async (t: string, m: { value: { sourceOffset: number; reasonCode: string } }[]) => { events.push(`dlq ${t} ${m[0]?.value.sourceOffset} ${m[0]?.value.reasonCode}`); },
  } as unknown as TypedProducer;
  const batch = (values: Buffer[]) => eachBatch?.({
    batch: { topic, partition: 0, highWatermark: String(values.length), messages: values.map((value, i) => ({ offset: String(i), key: null, value, headers: {}, timestamp: '0', attributes: 0 })) },
    heartbeat: async () => {}, isRunning: () => true, isStale: () => false, resolveOffset: () => {},
  } as unknown as EachBatchPayload);
  return { consumer, producer, batch };
}

const msg = (id: string) => Buffer.concat([Buffer.from([0]), Buffer.from(id)]);

describe('ConsumerLoop', () => {
  it('commits finished messages at the end of the batch by default, dead letters included', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const loop = new ConsumerLoop({ consumer, topic, producer, log, service: 'svc', handler: async (m) => { events.push(`handled ${m.value.requestId}`); } });
    await loop.start();
    await batch([msg('a'), Buffer.from('junk'), msg('c')]);
    expect(events).toEqual(['connect', 'handled a', 'dlq ops.deadletter.v1 1 DECODE_FAILED', 'handled c', 'commit 3']);
  });

  it('with commitEveryMessages 1, commits each message right after its handler resolved or its dead letter was acked', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    const loop = new ConsumerLoop({ consumer, topic, producer, log, service: 'svc', commitEveryMessages: 1, handler: async (m) => { events.push(`handled ${m.value.requestId}`); } });
    await loop.start();
    await batch([msg('a'), Buffer.from('junk'), msg('c')]);
    expect(events).toEqual(['connect', 'handled a', 'commit 1', 'dlq ops.deadletter.v1 1 DECODE_FAILED', 'commit 2', 'handled c', 'commit 3']);
  });

  it('commits finished work before a retry back-off, and not the retried message when closed mid-wait', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((r) => { sleeping = r; });
    const loop = new ConsumerLoop({
      consumer, topic, producer, log, service: 'svc',
      clock: { now: () => 0, random: () => 0, sleep: () => { sleeping(); return new Promise<void>(() => {}); } },
      handler: async (m) => { events.push(`attempt ${m.value.requestId}`); if (m.value.requestId === 'b') throw new WarmcastError('HANDLER_TRANSIENT', 'busy'); },
    });
    await loop.start();
    const running = batch([msg('a'), msg('b'), msg('c')]);
    await asleep;
    await loop.close();
    await running;
    expect(events).toEqual(['connect', 'attempt a', 'attempt b', 'commit 1', 'disconnect']);
  });

  it('close() during a back-off stops at once and leaves the message uncommitted', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = fakes(events);
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((r) => { sleeping = r; });
    const loop = new ConsumerLoop({
      consumer, topic, producer, log, service: 'svc',
      clock: { now: () => 0, random: () => 0, sleep: () => { sleeping(); return new Promise<void>(() => {}); } }, // a back-off that never ends by itself
      handler: async () => { events.push('attempt'); throw new WarmcastError('HANDLER_TRANSIENT', 'busy'); },
    });
    await loop.start();
    const running = batch([msg('a'), msg('b')]);
    await asleep;
    await loop.close();
    await running;
    expect(events).toEqual(['connect', 'attempt', 'disconnect']);
  });
});

// A fake with several partitions that records each commit as `commit p<partition> <offset> <metadata>`.
function partitionedFakes(events: string[]) {
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    connect: async () => {},
    subscribe: async () => {},
    run: async (cfg: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => { eachBatch = cfg.eachBatch; },
    commitOffsets: async (o: { partition: number; offset: string; metadata?: string | null }[]) => { for (const c of o) events.push(`commit p${c.partition} ${c.offset} ${c.metadata ?? '-'}`); },
    disconnect: async () => { events.push('disconnect'); },
  } as unknown as Consumer;
  const producer = { codec: () => ({ decode: async (b: Buffer | null) => ({ ok: true, value: { requestId: b?.toString() ?? '' }, schemaId: 1 }) }) } as unknown as TypedProducer;
  const batch = (partition: number, first: number, n: number) => eachBatch?.({
    batch: { topic, partition, highWatermark: String(first + n), messages: Array.from({ length: n }, (_, i) => ({ offset: String(first + i), key: null, value: Buffer.from(`${partition}:${first + i}`), headers: {}, timestamp: '0', attributes: 0 })) },
    heartbeat: async () => {}, isRunning: () => true, isStale: () => false, resolveOffset: () => {},
  } as unknown as EachBatchPayload);
  return { consumer, producer, batch };
}

/** An application hold: offsets held per partition (the lowest is the floor), released by hand. */
function holdOf(events: string[]) {
  const held = new Map<number, Set<number>>();
  let release: () => Promise<void> = async () => {};
  let through = 'none';
  const hold: CommitHold = {
    floor: (_t, p) => { const s = held.get(p); return s === undefined || s.size === 0 ? null : String(Math.min(...s)); },
    metadata: () => `through=${through}`,
    onRelease: (fn) => { release = fn; },
    onCommitted: (_t, p, committed, finished) => events.push(`committed p${p} ${committed} finished ${finished}`),
  };
  return {
    hold,
    keep: (p: number, offset: number) => { let s = held.get(p); if (s === undefined) { s = new Set(); held.set(p, s); } s.add(offset); },
    /** Drops every hold (a window was published), marks `through`, and calls the loop's commitReleased. */
    releaseAll: async (mark: string) => { held.clear(); through = mark; await release(); },
  };
}

describe('ConsumerLoop with a commit hold (floor)', () => {
  it('never commits at or past the floor; the metadata goes with the commit', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = partitionedFakes(events);
    const h = holdOf(events);
    const loop = new ConsumerLoop({
      consumer, topic, producer, log, service: 'svc', commitHold: h.hold,
      handler: async (m) => { if (m.offset === '3' || m.offset === '4') h.keep(m.partition, Number(m.offset)); },
    });
    await loop.start();
    await batch(0, 0, 8); // offsets 0-7 finished, 3 and 4 held: commit 3 (re-read 3-7 after a crash)
    expect(events).toEqual(['commit p0 3 through=none', 'committed p0 3 finished 7']);
  });

  it('commitReleased commits every partition up to its latest finished offset, a quiet one included, without a new message', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = partitionedFakes(events);
    const h = holdOf(events);
    const loop = new ConsumerLoop({
      consumer, topic, producer, log, service: 'svc', commitHold: h.hold,
      handler: async (m) => { if (m.offset === '0') h.keep(m.partition, 0); },
    });
    await loop.start();
    await batch(0, 0, 5);
    await batch(1, 0, 3);
    // held at 0: the first commit of each partition is 0 (this process does not know the group's earlier commit)
    expect(events).toEqual(['commit p0 0 through=none', 'committed p0 0 finished 4', 'commit p1 0 through=none', 'committed p1 0 finished 2']);
    events.length = 0;
    await h.releaseAll('w1');
    expect(events.sort()).toEqual(['commit p0 5 through=w1', 'commit p1 3 through=w1', 'committed p0 5 finished 4', 'committed p1 3 finished 2']);
    events.length = 0;
    await loop.commitReleased(); // nothing new: no commit request
    expect(events.filter((e) => e.startsWith('commit '))).toEqual([]);
  });

  it('a commit never moves back, even if the floor drops below what is committed', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = partitionedFakes(events);
    const h = holdOf(events);
    const loop = new ConsumerLoop({ consumer, topic, producer, log, service: 'svc', commitHold: h.hold, handler: async () => {} });
    await loop.start();
    await batch(0, 0, 4);
    h.keep(0, 1); // a hold on an offset already committed (a redelivered message): nothing to commit
    await batch(0, 4, 2);
    expect(events.filter((e) => e.startsWith('commit '))).toEqual(['commit p0 4 through=none']);
  });

  it('close(): the batch in hand finishes, the application releases (beforeClose), what it released is committed, then disconnect', async () => {
    const events: string[] = [];
    const { consumer, producer, batch } = partitionedFakes(events);
    const h = holdOf(events);
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((r) => { entered = r; });
    let finish: () => void = () => {};
    const handlerMayFinish = new Promise<void>((r) => { finish = r; });
    const hold: CommitHold = { ...h.hold, beforeClose: async () => { events.push('beforeClose'); await h.releaseAll('closed'); } };
    const loop = new ConsumerLoop({
      consumer, topic, producer, log, service: 'svc', commitHold: hold,
      handler: async (m) => { h.keep(0, Number(m.offset)); if (m.offset === '1') { entered(); await handlerMayFinish; } },
    });
    await loop.start();
    const running = batch(0, 0, 3);
    await inHandler;
    const closing = loop.close();
    events.push('close called');
    finish();
    await Promise.all([running, closing]);
    // offset 2 is never handled (the loop stopped after 1); 0-1 are held (commit 0 at the batch
    // end) until beforeClose released them
    expect(events.filter((e) => !e.startsWith('committed'))).toEqual(['close called', 'commit p0 0 through=none', 'beforeClose', 'commit p0 2 through=closed', 'disconnect']);
  });
});

describe('classifyHandlerError', () => {
  it.each([
    [new WarmcastError('VALIDATION_FAILED', 'priority 12 > 9'), { kind: 'failed', code: 'VALIDATION_FAILED', retriable: false, text: 'priority 12 > 9' }],
    [new WarmcastError('TIMEOUT', 't'), { kind: 'failed', code: 'TIMEOUT', retriable: true, text: 't' }],
    [new TypeError('x is not a function'), { kind: 'failed', code: 'HANDLER_FAILED', retriable: false, text: 'TypeError: x is not a function' }],
    [Object.assign(new Error('ECONNRESET'), { retriable: true }), { kind: 'failed', code: 'HANDLER_TRANSIENT', retriable: true, text: 'ECONNRESET' }],
    [new Error('boom'), { kind: 'failed', code: 'HANDLER_FAILED', retriable: false, text: 'boom' }],
  ])('%s', (err, expected) => {
    expect(classifyHandlerError(err)).toEqual(expected);
  });
});
