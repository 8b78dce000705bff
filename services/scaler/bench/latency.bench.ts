// End-to-end decision latency on the embedded broker + registry: a demand window (4 horizons,
// one produce) -> scaler consumes, decides, publishes a LAUNCH -> broker ack. Windows are one
// event-minute apart and sent back to back after the previous decision (no timed waits):
//   node --import tsx services/scaler/bench/latency.bench.ts [windows=200]
// Reports the end-to-end time seen by the publisher (send start -> decision published) and the
// service's own stat (first message of the window handled -> ack).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import { KitService, Topics, catalogue, ensureTopics, parseConfig } from '@warmcast/kit';
import { createScalerService, policyOrThrow } from '../src/index.ts';

const windows = Number(process.argv[2] ?? 200);
const silent = pino({ level: 'silent' });
const dir = await mkdtemp(join(tmpdir(), 'warmcast-scaler-bench-'));
const broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger: silent });
const registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger: silent });
const brokers = [`127.0.0.1:${broker.port}`];
const admin = new kafkajs.Kafka({ clientId: 'bench', brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
await admin.connect();
await ensureTopics(admin, catalogue, { partitionsOverride: 1 });
await admin.disconnect();
const cfg = (id: string): ReturnType<typeof parseConfig> => parseConfig({ kafkaBrokers: brokers, registryUrl: registry.url, httpPort: 0, clientId: id, groupId: id, logLevel: 'silent' });

let resolveDecision: (() => void) | undefined;
let commands = 0;
const scaler = createScalerService({
  config: cfg('scaler'), logger: silent, policy: policyOrThrow({ defaults: { minHistoryMs: 0, scaleOutCooldownMs: 0 } }), heavyUsersFromForecasts: false,
  onDecision: (d) => { if (d.commands.length > 0) { commands += d.commands.length; resolveDecision?.(); } },
});
const publisher = new KitService({ config: cfg('publisher'), logger: silent });
await scaler.start();
await publisher.start();

const T0 = Date.UTC(2026, 10, 23, 9, 0);
const e2e: number[] = [];
for (let i = 0; i < windows; i++) {
  const windowEnd = T0 + i * 60_000;
  const upper = 2 + i; // rising demand: every window needs one more VM
  const done = new Promise<void>((r) => { resolveDecision = r; });
  const t = performance.now();
  await publisher.producer.send(Topics.demandPoolAggregated, [5, 15, 30, 120].map((h) => ({
    key: 'python3.12/M',
    value: { pool: { runtime: 'python3.12', sizeClass: 'M' as const }, horizonMinutes: h, mean: upper * 0.7, variance: 1, lowerBound: upper * 0.5, upperBound: upper, confidence: 0.9, userCount: 5, windowStart: windowEnd - 60_000, windowEnd },
  })));
  await done;
  e2e.push(performance.now() - t);
}
const stats = scaler.stats();
await publisher.close();
await scaler.close();
await registry.close();
await broker.close();
await rm(dir, { recursive: true, force: true });

const sorted = [...e2e].sort((a, b) => a - b);
const q = (p: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0) * 10) / 10;
console.log(JSON.stringify({ windows, commands, e2eMs: { p50: q(0.5), p99: q(0.99), max: q(1) }, service: { p99DecisionLatencyMs: Math.round((stats['p99DecisionLatencyMs'] ?? 0) * 10) / 10, maxDecisionLatencyMs: Math.round((stats['maxDecisionLatencyMs'] ?? 0) * 10) / 10 } }));
