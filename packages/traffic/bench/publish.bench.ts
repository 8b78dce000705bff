// Throughput of the generator alone and of publishTrace into the embedded broker+registry
// at speed Infinity (no pacing):
//   node --import tsx packages/traffic/bench/publish.bench.ts [TRACE_DIR] [MINUTES]
// defaults: the bundled sample, all 1440 minutes. Prints events/s for both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import { TypedProducer, catalogue, createRegistryClient, ensureTopics, registerSchemas } from '@warmcast/kit';
import { SAMPLE_TRACE_DIR, generateTraffic, loadTrafficTrace, publishTrace } from '../src/index.ts';

const dir = process.argv[2] !== undefined && process.argv[2] !== '' ? process.argv[2] : SAMPLE_TRACE_DIR;
const trace = loadTrafficTrace(dir);
const minutes = Number(process.argv[3] ?? trace.trace.minutes);

let t0 = performance.now();
let events = 0;
for (const m of generateTraffic(trace, { startEpochMs: Date.UTC(2026, 0, 5), toMinute: minutes })) events += m.events.length;
const genS = (performance.now() - t0) / 1000;
process.stdout.write(`generator: ${events} events (${minutes} minutes of ${trace.trace.functions.length} functions) in ${genS.toFixed(2)} s = ${Math.round(events / genS)} events/s\n`);

const tmp = await mkdtemp(join(tmpdir(), 'warmcast-traffic-bench-'));
const silent = pino({ level: 'silent' });
const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(tmp, 'kafka'), logger: silent });
const registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(tmp, 'registry'), logger: silent });
try {
  const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${broker.port}`], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, catalogue);
  await admin.disconnect();
  const client = createRegistryClient(registry.url);
  await registerSchemas(client, catalogue);
  const producer = new TypedProducer({ producer: kafka.producer(), registry: client });
  await producer.start();
  t0 = performance.now();
  const res = await publishTrace({ producer, trace, speed: Infinity, limit: minutes, startEpochMs: Date.UTC(2026, 0, 5) });
  const pubS = (performance.now() - t0) / 1000;
  const sent = res.requests + res.metrics;
  process.stdout.write(`publish: ${res.requests} requests + ${res.metrics} metrics in ${pubS.toFixed(2)} s = ${Math.round(sent / pubS)} events/s (${res.batches} batches, embedded broker, 12 partitions)\n`);
  await producer.close();
} finally {
  await registry.close();
  await broker.close();
  await rm(tmp, { recursive: true, force: true });
}
