// Child process for crash.test.ts: consumes exec.request.received.v1 with the kit's consumer
// loop and appends each processed request id to a file with fsync (the durable output).
// With KILL_AT=<offset> it tells the parent, after that message's output is durable and
// before its offset is committed, and then waits to be SIGKILLed.
import { appendFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { createRegistryClient } from '../../src/serde/registry.ts';
import { TypedProducer } from '../../src/producer.ts';
import { ConsumerLoop } from '../../src/consumer/loop.ts';
import { Topics } from '../../src/generated/catalogue.ts';

const { Kafka, logLevel } = kafkajs;
const [brokers = '', registryUrl = '', outFile = '', killAtArg = '-1', expectArg = '0'] = process.argv.slice(2);
const killAt = Number(killAtArg);
const expected = Number(expectArg);
const send = (msg: object): void => { process.send?.(msg); };

const kafka = new Kafka({ clientId: 'crash-child', brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
const registry = createRegistryClient(registryUrl);
const producer = new TypedProducer({ producer: kafka.producer(), registry });
await producer.start();
// Kafka's minimum session timeout (group.min.session.timeout.ms) is 6 s: the killed member is
// evicted after that and the next one takes over its partition.
const consumer = kafka.consumer({ groupId: 'crash', sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 500 });
let processed = 0;
const loop = new ConsumerLoop({
  consumer, topic: Topics.execRequestReceived, producer, log: pino({ level: 'silent' }), service: 'crash-child',
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
// Report progress after commits: the parent waits for `expected` messages.
consumer.on(consumer.events.COMMIT_OFFSETS, () => {
  processed += 1;
  if (expected > 0 && processed >= expected) send({ kind: 'caught-up', processed });
});
send({ kind: 'started' });
process.on('message', (msg: { kind?: string }) => {
  if (msg.kind === 'stop') {
    void loop.close().then(() => producer.close()).then(() => process.exit(0));
  }
});
