// The consumer loop shell against hand-written fakes of the kafkajs consumer and the typed
// producer: commits follow durable work, one commit per finished message, and close()
// during a retry back-off leaves that message uncommitted (it will be re-delivered).
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { ConsumerLoop, classifyHandlerError } from '../../src/consumer/loop.ts';
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
