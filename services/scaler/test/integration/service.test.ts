// The scaler on the embedded broker + registry: demand (all four horizons of a window) and
// pool status in, commands out, read back with kafkajs (decoded) AND with kcat (raw bytes:
// Confluent magic byte 0 + schema id, one message per command). Mode off publishes nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { KitService, Topics, parseConfig } from '@warmcast/kit';
import type { AggregatedDemand, PoolStatus, ProvisionCommand } from '@warmcast/kit';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { createScalerService } from '../../src/service.ts';
import type { Decision } from '../../src/core/decide.ts';
import { policyOrThrow } from '../../src/policy-file.ts';
import { withMode } from '../../src/core/policy.ts';

const run = promisify(execFile);
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0);
const silent = pino({ level: 'silent' });

let stack: Stack;
let publisher: KitService;
beforeAll(async () => {
  stack = await startStack();
  publisher = new KitService({ config: parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, httpPort: 0, clientId: 'publisher', groupId: 'publisher', logLevel: 'silent' }), logger: silent });
  await publisher.start();
});
afterAll(async () => {
  await publisher?.close();
  await stack?.stop();
});

function demand(horizonMinutes: number, upperBound: number, windowEnd: number): AggregatedDemand {
  return { pool: { runtime: 'python3.12', sizeClass: 'M' }, horizonMinutes, mean: upperBound * 0.7, variance: 2, lowerBound: upperBound * 0.4, upperBound, confidence: 0.9, userCount: 12, windowStart: windowEnd - MIN, windowEnd };
}

const status: PoolStatus = { poolId: 'python3.12/M', pool: { runtime: 'python3.12', sizeClass: 'M' }, warming: 0, active: 1, idle: 1, capacity: 100, adapter: 'test', asOf: T0 - 1000 };

/** Resolves with the first decision that satisfies `pred`. */
function waitFor(decisions: Decision[], listeners: (() => void)[], pred: (d: Decision) => boolean): Promise<Decision> {
  return new Promise((resolve) => {
    const check = (): void => { const d = decisions.find(pred); if (d !== undefined) resolve(d); };
    listeners.push(check);
    check();
  });
}

/** Polls a condition on the service's counters (no fixed sleeps: resolves as soon as it holds). */
function until(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => { if (pred()) { clearInterval(t); resolve(); } }, 20);
  });
}

async function kcat(args: string[]): Promise<Buffer> {
  const { stdout } = await run('kcat', ['-b', stack.brokers[0] ?? '', ...args], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  return stdout;
}

describe('scaler service', () => {
  it('turns a completed demand window into LAUNCH commands, readable by kafkajs and kcat', async () => {
    const decisions: Decision[] = [];
    const listeners: (() => void)[] = [];
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, httpPort: 0, clientId: 'scaler', groupId: 'scaler', logLevel: 'silent' });
    const scaler = createScalerService({
      config, logger: silent, policy: policyOrThrow({ defaults: { minHistoryMs: 0 } }),
      onDecision: (d) => { decisions.push(d); for (const l of listeners) l(); },
    });
    await scaler.start();
    try {
      await publisher.producer.send(Topics.poolStatusReported, [{ key: status.poolId, value: status }]);
      // 5-minute upper bound 10 -> target ceil(11) = 11; 2 VMs exist -> LAUNCH 9.
      await publisher.producer.send(Topics.demandPoolAggregated, [5, 15, 30, 120].map((h) => ({ key: 'python3.12/M', value: demand(h, h === 5 ? 10 : 20, T0) })));
      const d = await waitFor(decisions, listeners, (x) => x.commands.length > 0);
      expect(d.commands.map((c) => [c.kind, c.poolId, c.count, c.reason.rule, c.dryRun])).toEqual([['LAUNCH', 'python3.12/M', 9, 'proactive-scale-out', false]]);
      // The demand record of the 5-minute horizon is the first of the four demand messages.
      expect(d.commands[0]?.reason.forecastRef).toBe('demand.pool.aggregated.v1/0/0');
      expect(d.commands[0]?.issuedAt).toBe(T0);
      const stats = scaler.stats();
      expect(stats['commandsPublished']).toBe(1);
      expect(stats['demandReceived']).toBe(4);
      expect(stats['lastDecisionLatencyMs']).toBeGreaterThan(0);

      // kafkajs: the command decodes with the catalogue schema, keyed by poolId.
      const consumer = stack.kafka('reader').consumer({ groupId: 'reader', maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topics: [Topics.provisionCommandIssued], fromBeginning: true });
      const read = await new Promise<{ key: string; value: ProvisionCommand }>((resolve, reject) => {
        consumer.run({ eachMessage: async ({ message }) => {
          const r = await publisher.producer.codec(Topics.provisionCommandIssued).decode(message.value);
          if (r.ok) resolve({ key: message.key?.toString() ?? '', value: r.value }); else reject(new Error(r.text));
        } }).catch(reject);
      });
      await consumer.disconnect();
      expect(read.key).toBe('python3.12/M');
      expect(read.value).toEqual(d.commands[0]);

      // kcat (librdkafka): one message, raw Confluent framing.
      const keys = (await kcat(['-C', '-t', Topics.provisionCommandIssued, '-o', 'beginning', '-e', '-q', '-f', '%k\n'])).toString().split('\n').filter((l) => l !== '');
      expect(keys).toEqual(['python3.12/M']);
      const raw = await kcat(['-C', '-t', Topics.provisionCommandIssued, '-p', '0', '-o', '0', '-c', '1', '-e', '-q', '-f', '%s']);
      expect(raw[0]).toBe(0); // Confluent magic byte
      expect(raw.readInt32BE(1)).toBeGreaterThan(0); // registry schema id
      expect(raw.includes(Buffer.from(d.commands[0]?.commandId ?? 'missing'))).toBe(true);
    } finally {
      await scaler.close();
    }
  });

  it('preloads a sub-pool for a heavy user found in per-user forecasts', async () => {
    const decisions: Decision[] = [];
    const listeners: (() => void)[] = [];
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, httpPort: 0, clientId: 'scaler-heavy', groupId: 'scaler-heavy', logLevel: 'silent' });
    const scaler = createScalerService({
      config, logger: silent, policy: policyOrThrow({ defaults: { minHistoryMs: 0, mode: 'forecast-only' } }),
      onDecision: (d) => { decisions.push(d); for (const l of listeners) l(); },
    });
    await scaler.start();
    try {
      const userKey = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
      const q = { p10: 0, p50: 3, p90: 4, p99: 5 };
      // 3.0 expected instances, 80 % on python3.12/M; the pool expects 0.7 x 10 = 7 -> share 0.34.
      await publisher.producer.send(Topics.forecastUserPublished, [{ key: userKey, value: {
        userKey, tickTime: T0 + 2 * MIN, runtimeMix: { 'python3.12': 1 }, poolMix: { 'python3.12/M': 0.8, 'python3.12/S': 0.2 }, tier: 'PREMIUM', priority: 5, requestNeed: null, model: 'test', producedAt: T0 + 2 * MIN,
        horizons: [5, 15, 30, 120].map((h) => ({ horizonMinutes: h, requests: q, concurrentInstances: q, cpuCores: q, memoryMb: q, pAny: 1, concurrentMean: 3, concurrentVariance: 1 })),
      } }]);
      // The forecast must be in before the window that makes the user heavy is decided.
      await until(() => scaler.stats()['forecastsReceived'] === 1);
      await publisher.producer.send(Topics.demandPoolAggregated, [5, 15, 30, 120].map((h) => ({ key: 'python3.12/M', value: demand(h, 10, T0 + 2 * MIN) })));
      const d = await waitFor(decisions, listeners, (x) => x.commands.some((c) => c.kind === 'PRELOAD'));
      const preload = d.commands.find((c) => c.kind === 'PRELOAD');
      // target ceil(10 x 1.1) = 11; sub-pool ceil(0.343 x 11) = 4.
      expect([preload?.poolId, preload?.count, preload?.preloadProfile, preload?.dryRun]).toEqual(['python3.12/M/user/9f86d081884c', 4, 'user:9f86d081884c@python3.12', true]);
    } finally {
      await scaler.close();
    }
  });

  it('in mode off decides but publishes nothing', async () => {
    const decisions: Decision[] = [];
    const listeners: (() => void)[] = [];
    const before = (await kcat(['-C', '-t', Topics.provisionCommandIssued, '-o', 'beginning', '-e', '-q', '-f', '%k\n'])).toString().split('\n').filter((l) => l !== '').length;
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, httpPort: 0, clientId: 'scaler-off', groupId: 'scaler-off', logLevel: 'silent' });
    const scaler = createScalerService({
      config, logger: silent, policy: withMode(policyOrThrow({ defaults: { minHistoryMs: 0 } }), 'off'),
      onDecision: (d) => { decisions.push(d); for (const l of listeners) l(); },
    });
    await scaler.start();
    try {
      // The topics already hold the earlier tests' inputs (read from the beginning); add a bigger window.
      await publisher.producer.send(Topics.demandPoolAggregated, [5, 15, 30, 120].map((h) => ({ key: 'python3.12/M', value: demand(h, 50, T0 + 3 * MIN) })));
      const d = await waitFor(decisions, listeners, (x) => x.notes.some((n) => n.rule === 'mode-off') && x.state.lastNow === T0 + 3 * MIN);
      expect(d.commands).toEqual([]);
      expect(scaler.stats()['commandsPublished']).toBe(0);
    } finally {
      await scaler.close();
    }
    const keys = (await kcat(['-C', '-t', Topics.provisionCommandIssued, '-o', 'beginning', '-e', '-q', '-f', '%k\n'])).toString().split('\n').filter((l) => l !== '');
    expect(keys).toHaveLength(before); // nothing added
  });
});
