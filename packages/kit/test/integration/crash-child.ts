// Child process for crash.test.ts: consumes exec.request.received.v1 with the kit's consumer
// loop and appends each processed request id to a file with fsync (the durable output).
// With KILL_AT=<offset> it tells the parent, after that message's output is durable and
// before its offset is committed, and then waits to be SIGKILLed. COMMIT_EVERY sets the
// loop's commitEveryMessages (default: the loop's own default).
import { appendFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { createRegistryClient } from '../../src/serde/registry.ts';
import { TypedProducer } from '../../src/producer.ts';
import { ConsumerLoop } from '../../src/consumer/loop.ts';
import { Topics } from '../../src/generated/catalogue.ts';

const { Kafka, logLevel } = kafkajs;
const [brokers = '', registryUrl = '', outFile = '', killAtArg = '-1', expectArg = '0', commitEveryArg = '', groupId = 'crash'] = process.argv.slice(2);
const killAt = Number(killAtArg);
const expected = Number(expectArg);
const send = (msg: object): void => { process.send?.(msg); };

const kafka = new Kafka({ clientId: 'crash-child', brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
const registry = createRegistryClient(registryUrl);
const producer = new TypedProducer({ producer: kafka.producer(), registry });
await producer.start();
// Kafka's minimum session timeout (group.min.session.timeout.ms) is 6 s: the killed member is
// evicted after that and the next one takes over its partition.
const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 500 });
const loop = new ConsumerLoop({
  consumer, topic: Topics.execRequestReceived, producer, log: pino({ level: 'silent' }), service: 'crash-child',
  ...(commitEveryArg === '' ? {} : { commitEveryMessages: Number(commitEveryArg) }),
  handler: async (m) => {
    const fd = openSync(outFile, 'a');
    appendFileSync(fd, `${m.offset} ${m.value.requestId}\n`);
    fsyncSync(fd);
    closeSync(fd);
  },
  beforeCommit: async (_partition, offset) => {
    if (Number(offset) === killAt) {
      send({ kind: 'durable-not-committed', offset });
      await new Promise<never>(() => {}); // wait for SIGKILL
    }
  },
});
await loop.start();
// Report progress after commits: the parent waits until offset `expected` is committed.
consumer.on(consumer.events.COMMIT_OFFSETS, (e: { payload: { topics: { partitions: { offset: string }[] }[] } }) => {
  const committed = Math.max(...e.payload.topics.flatMap((t) => t.partitions.map((p) => Number(p.offset))));
  if (expected > 0 && committed >= expected) send({ kind: 'caught-up', committed });
});
send({ kind: 'started' });
process.on('message', (msg: { kind?: string }) => {
  if (msg.kind === 'stop') {
    void loop.close().then(() => producer.close()).then(() => process.exit(0));
  }
});
