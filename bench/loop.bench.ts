// npm run bench:loop [-- --minutes 30 --speed 60 --throughput-minutes 240]
//
// The closed loop of the one-command stack (warmcast up) on this machine, two runs:
// 1. Latency, at a live-like pace (default 30 trace minutes at speed 60 = 30 s): for every
//    aggregated demand window that led to commands, the wall time from the window's demand on
//    demand.pool.aggregated.v1 to its first command on provision.command.issued.v1 (message
//    CreateTime stamps of the two topics, matched through the command's reason.forecastRef =
//    demand topic/partition/offset), plus the aggregator's own window close -> demand published
//    latency (its stats). Window close -> commands on the topic = the sum of the two.
// 2. Throughput: 00:00-04:00 of the bundled day (requests + their metrics) published as fast as the
//    stack takes it; events/s through ingest and forecasts/s through the profiler until the
//    pipeline is drained.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { ValueCodec, Topics, createRegistryClient, topicSpec } from '@warmcast/kit';
import type { AggregatedDemand, ProvisionCommand } from '@warmcast/kit';
import { startStack } from '@warmcast/stack';
import type { RunningStack } from '@warmcast/stack';

const { Kafka, logLevel } = kafkajs;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a number > 0 (got ${process.argv[i + 1]})`);
  return v;
}

const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return (s[lo] as number) + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] as number) - (s[lo] as number));
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads two topics' message timestamps (CreateTime, stamped by the producing service). */
async function watch(stack: RunningStack): Promise<{ consumer: Consumer; demand: Map<string, { window: number; at: number }>; commands: { ref: string; at: number }[] }> {
  const kafka = new Kafka({ clientId: 'bench-loop', brokers: [stack.brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-loop-${process.pid}` });
  const demand = new Map<string, { window: number; at: number }>();
  const commands: { ref: string; at: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: ['demand.pool.aggregated.v1', 'provision.command.issued.v1'], fromBeginning: true });
  // Values are Avro in Confluent framing: decoded with the kit's registry codecs.
  const { demandWindow, commandRef } = decoders(stack);
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const at = Number(message.timestamp);
      if (message.value === null) return;
      if (topic === 'demand.pool.aggregated.v1') demand.set(`${topic}/${partition}/${message.offset}`, { window: await demandWindow(message.value), at });
      else {
        const ref = await commandRef(message.value);
        if (ref !== null) commands.push({ ref, at });
      }
    },
  });
  return { consumer, demand, commands };
}

function decoders(stack: RunningStack): { demandWindow: (b: Buffer) => Promise<number>; commandRef: (b: Buffer) => Promise<string | null> } {
  const registry = createRegistryClient(stack.registryUrl);
  const demandCodec = new ValueCodec<AggregatedDemand>(registry, Topics.demandPoolAggregated, topicSpec(Topics.demandPoolAggregated).schemaText);
  const commandCodec = new ValueCodec<ProvisionCommand>(registry, Topics.provisionCommandIssued, topicSpec(Topics.provisionCommandIssued).schemaText);
  const value = async <V>(codec: ValueCodec<V>, b: Buffer): Promise<V> => {
    const r = await codec.decode(b);
    if (!r.ok) throw new Error(`${codec.topic}: ${r.text}`);
    return r.value;
  };
  return {
    demandWindow: async (b) => (await value(demandCodec, b)).windowStart,
    commandRef: async (b) => (await value(commandCodec, b)).reason.forecastRef,
  };
}

async function latencyRun(minutes: number, speed: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-loop-'));
  const stack = await startStack({ dataDir: dir, brokerPort: 0, registryPort: 0, clickhousePort: 0, fromMinute: 600, minutes, speed, summaryEveryMs: 0, logLevel: 'error' });
  const w = await watch(stack);
  // Every service shares this process's one event loop: a long synchronous stretch anywhere
  // (JSON of a big insert, a profiler tick) delays every other service's next step.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  try {
    await stack.published;
    // Let the last windows close and their commands go out.
    await sleep(5000);
    const firstDemandAt = new Map<number, number>();
    for (const d of w.demand.values()) firstDemandAt.set(d.window, Math.min(firstDemandAt.get(d.window) ?? Infinity, d.at));
    // A window's commands are the ones the decision it triggered sent (one send, so one
    // CreateTime): the first command citing the window. Later decisions (a pool status change)
    // may cite the same newest demand again; they are not the window's latency.
    const firstCommandAt = new Map<number, number>();
    for (const c of w.commands) {
      const d = w.demand.get(c.ref);
      if (d === undefined) continue;
      firstCommandAt.set(d.window, Math.min(firstCommandAt.get(d.window) ?? Infinity, c.at));
    }
    const demandToCommands = [...firstCommandAt].map(([win, at]) => at - (firstDemandAt.get(win) ?? at));
    const agg = stack.snapshot().aggregator;
    const p50 = quantile(demandToCommands, 0.5);
    const p99 = quantile(demandToCommands, 0.99);
    console.log(`latency run: ${minutes} trace minutes at speed ${speed}; ${w.demand.size} demand records, ${w.commands.length} commands, ${firstCommandAt.size} windows with commands`);
    console.log(`per window in event-time order, demand -> first command, ms: ${[...firstCommandAt].sort((a, b) => a[0] - b[0]).map(([win, at]) => at - (firstDemandAt.get(win) ?? at)).join(' ')}`);
    loopDelay.disable();
    const sc = stack.snapshot().scaler;
    const f = (r: Record<string, number>, k: string): string => (r[k] ?? Number.NaN).toFixed(1);
    const sum = (k1: string, k2: string): string => ((agg[k1] ?? 0) + (sc[k2] ?? 0)).toFixed(1);
    console.log('| step | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|');
    console.log(`| 1. window close -> its demand on the topic (aggregator stats) | ${f(agg, 'p50CloseToPublishMs')} | ${f(agg, 'p99CloseToPublishMs')} | ${f(agg, 'maxCloseToPublishMs')} |`);
    console.log(`| 2. demand arrived at the scaler -> the decision it triggered acked on the command topic (scaler stats) | ${f(sc, 'p50DemandDecisionLatencyMs')} | ${f(sc, 'p99DemandDecisionLatencyMs')} | ${f(sc, 'maxDemandDecisionLatencyMs')} |`);
    console.log(`| **window close -> its commands on the topic (1 + 2, plus a ~5 ms broker hop)** | ${sum('p50CloseToPublishMs', 'p50DemandDecisionLatencyMs')} | ${sum('p99CloseToPublishMs', 'p99DemandDecisionLatencyMs')} | |`);
    console.log(`| scaler: any input (demand, pool status, anomaly) -> its decision acked (scaler stats) | | ${f(sc, 'p99DecisionLatencyMs')} | ${f(sc, 'maxDecisionLatencyMs')} |`);
    console.log(`| demand on the topic -> first command citing it, any trigger (CreateTime stamps) | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${Math.max(...demandToCommands).toFixed(1)} |`);
    console.log(`| event-loop delay of the stack's one process | ${(loopDelay.percentile(50) / 1e6).toFixed(1)} | ${(loopDelay.percentile(99) / 1e6).toFixed(1)} | ${(loopDelay.max / 1e6).toFixed(1)} |`);
  } finally {
    await w.consumer.disconnect();
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function throughputRun(minutes: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-loop-'));
  const stack = await startStack({ dataDir: dir, brokerPort: 0, registryPort: 0, clickhousePort: 0, fromMinute: 0, minutes, speed: 100_000, summaryEveryMs: 0, logLevel: 'error' });
  try {
    const t0 = performance.now();
    const published = await stack.published;
    const tPublished = performance.now() - t0;
    const sent = published.requests + published.metrics;
    // Drained = ingest has read everything published and the profiler's forecasts stopped growing for 3 s.
    let last = -1;
    let stableSince = performance.now();
    for (;;) {
      const s = stack.snapshot();
      const ingested = (s.ingest['requests'] ?? 0) + (s.ingest['metrics'] ?? 0) + (s.ingest['rejected'] ?? 0);
      const forecasts = s.profiler['forecasts'] ?? 0;
      if (forecasts !== last) { last = forecasts; stableSince = performance.now(); }
      if (ingested >= sent && performance.now() - stableSince > 3000) break;
      if (performance.now() - t0 > 600_000) throw new Error('not drained after 10 minutes');
      await sleep(250);
    }
    const wall = (stableSince - t0) / 1000;
    const s = stack.snapshot();
    console.log(`throughput run: ${minutes} trace minutes (${sent} events) published as fast as the stack takes them`);
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| publish (kafkajs producer, both topics) | ${(sent / (tPublished / 1000)).toFixed(0)} events/s |`);
    console.log(`| end to end: first event -> last forecast | ${wall.toFixed(1)} s = ${(sent / wall).toFixed(0)} events/s |`);
    console.log(`| forecasts published | ${s.profiler['forecasts'] ?? 0} (${((s.profiler['forecasts'] ?? 0) / wall).toFixed(0)}/s) |`);
    console.log(`| demand records / commands | ${s.aggregator['demandPublished'] ?? 0} / ${s.scaler['commandsPublished'] ?? s.scaler['commands'] ?? 0} |`);
  } finally {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const minutes = arg('minutes', 30);
const speed = arg('speed', 60);
const throughputMinutes = arg('throughput-minutes', 240);
const skipThroughput = process.argv.includes('--no-throughput');
await latencyRun(minutes, speed);
if (!skipThroughput) await throughputRun(throughputMinutes);
