// publishTrace against the embedded broker and registry: the first minutes of the bundled
// sample go out at full speed and come back, decoded by the registry serde, one for one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics, TypedProducer, ValueCodec, createRegistryClient, topicSpec } from '@warmcast/kit';
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';
import { publishTrace } from '../../src/publisher.ts';
import { loadTrafficTrace } from '../../src/load.ts';
import { SAMPLE_TRACE_DIR } from '../../src/sample.ts';
import { generateTraffic } from '../../src/core/generator.ts';
import { startStack, type Stack } from './stack.ts';

const MINUTES = 5;
const START = Date.UTC(2026, 0, 5, 0, 0);
let stack: Stack;
let producer: TypedProducer;

beforeAll(async () => {
  stack = await startStack();
  producer = new TypedProducer({ producer: stack.kafka('publisher').producer(), registry: createRegistryClient(stack.registryUrl) });
  await producer.start();
});

afterAll(async () => {
  await producer?.close();
  await stack?.stop();
});

async function consumeAll<V>(topic: string, count: number): Promise<{ key: string; value: V }[]> {
  const codec = new ValueCodec<V>(createRegistryClient(stack.registryUrl), topic, topicSpec(topic as never).schemaText);
  const consumer = stack.kafka(`read-${topic}`).consumer({ groupId: `read-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: { key: string; value: V }[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        const d = await codec.decode(message.value);
        if (!d.ok) throw new Error(d.text);
        out.push({ key: message.key?.toString() ?? '', value: d.value });
        if (out.length >= count) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return out;
}

describe('publishTrace on the embedded broker', () => {
  it('publishes the first minutes of the sample and they read back identical, keyed by user', async () => {
    const trace = loadTrafficTrace(SAMPLE_TRACE_DIR);
    const expectedRequests = trace.trace.counts.reduce((s, c) => s + c.slice(0, MINUTES).reduce((a, b) => a + b, 0), 0);
    const res = await publishTrace({ producer, trace, speed: Infinity, limit: MINUTES, startEpochMs: START });
    expect(res.requests).toBe(expectedRequests);
    expect(res.metrics).toBe(expectedRequests);

    const generated = [...generateTraffic(trace, { startEpochMs: START, toMinute: MINUTES })].flatMap((m) => m.events);
    const requests = await consumeAll<ExecutionRequest>(Topics.execRequestReceived, expectedRequests);
    expect(requests.length).toBe(expectedRequests);
    expect(requests.map((r) => r.value)).toEqual(generated.filter((e) => e.kind === 'request').map((e) => e.value));
    expect(requests.every((r) => r.key === r.value.userId)).toBe(true);

    const metrics = await consumeAll<ExecutionMetrics>(Topics.execMetricsReported, expectedRequests);
    expect(new Set(metrics.map((m) => m.value.requestId))).toEqual(new Set(requests.map((r) => r.value.requestId)));
    expect(metrics.every((m) => m.key === m.value.userId && m.value.start === 'UNKNOWN')).toBe(true);
  });
});
