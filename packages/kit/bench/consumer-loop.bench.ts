// Throughput of the typed producer and the consumer loop (per-message commit) on the
// embedded broker and registry. Run: node --import tsx packages/kit/bench/consumer-loop.bench.ts [N]
// Numbers depend on the machine (2 shared cores here); no assertion, just figures.
import { pino } from 'pino';
import { startStack } from '../test/integration/helpers.ts';
import { fixtures } from '../test/integration/fixtures.ts';
import { catalogue } from '../src/topics.ts';
import { Topics } from '../src/generated/catalogue.ts';
import { createRegistryClient, registerSchemas } from '../src/serde/registry.ts';
import { TypedProducer } from '../src/producer.ts';
import { ConsumerLoop } from '../src/consumer/loop.ts';

const n = Number(process.argv[2] ?? 2000);
const topic = Topics.execRequestReceived;
const stack = await startStack();
try {
  await stack.createTopics([topic, Topics.opsDeadletter]);
  const registry = createRegistryClient(stack.registryUrl);
  await registerSchemas(registry, catalogue);
  const producer = new TypedProducer({ producer: stack.kafka('bench-p').producer(), registry });
  await producer.start();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 500) {
    await producer.send(topic, Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ key: `user-${(i + j) % 97}`, value: { ...fixtures[topic].value, requestId: `r${i + j}` } })));
  }
  const t1 = performance.now();
  let seen = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => { done = r; });
  const loop = new ConsumerLoop({ consumer: stack.kafka('bench-c').consumer({ groupId: 'bench' }), topic, producer, log: pino({ level: 'silent' }), service: 'bench', handler: async () => { seen += 1; if (seen === n) done(); } });
  const t2 = performance.now();
  await loop.start();
  await all;
  const t3 = performance.now();
  await loop.close();
  await producer.close();
  const rate = (count: number, ms: number): string => `${Math.round(count / (ms / 1000))} msg/s`;
  process.stdout.write(`${n} messages: produce ${Math.round(t1 - t0)} ms (${rate(n, t1 - t0)}), consume+commit each ${Math.round(t3 - t2)} ms (${rate(n, t3 - t2)}, includes group join)\n`);
} finally {
  await stack.stop();
}
