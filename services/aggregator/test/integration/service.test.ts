// The aggregator on the embedded broker + registry: 50 users' forecasts for two ticks go in
// through the kit's TypedProducer; demand per pool x horizon and cluster load come back out,
// equal to what the pure core computes from the same forecasts; an outcome far above the
// band comes back as a CRITICAL anomaly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
import { pino } from 'pino';
import { createRegistryClient, parseConfig, Topics, TypedProducer } from '@warmcast/kit';
import type { AggregatedDemand, Anomaly, ClusterLoad, PoolOutcomeInput, UserForecast } from '@warmcast/kit';
import { createAggregatorService } from '../../src/service.ts';
import type { AggregatorService } from '../../src/service.ts';
import { aggregateWindow } from '../../src/core/aggregate.ts';
import { forecastOf, poisson, bernoulliGeometric, prng } from '../support/synthetic.ts';
import type { SynthUser } from '../support/synthetic.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0);
const POOLS = ['python3.12/M', 'node20/S'];

function users(): SynthUser[] {
  const rand = prng(7);
  return Array.from({ length: 50 }, (_, i) => ({
    key: `user-${i}`,
    dist: i % 2 === 0 ? poisson(0.2 + rand()) : bernoulliGeometric(0.1 + 0.5 * rand(), 1 + 2 * rand()),
    poolMix: i % 5 === 0 ? { [POOLS[0]!]: 0.5, [POOLS[1]!]: 0.5 } : { [POOLS[i % 2]!]: 1 },
    tier: (['FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE'] as const)[i % 4]!,
    cores: 1, mib: 1024,
  }));
}

/** Decoded records are avsc class instances; compare their data. */
function plain(x: unknown): unknown {
  return x === undefined ? undefined : JSON.parse(JSON.stringify(x));
}

/** Equal up to float summation order (forecasts arrive from 3 partitions in another order than sent). */
function expectSame(got: unknown, want: object): void {
  expect(got).toBeDefined();
  const g = got as Record<string, unknown>;
  for (const [k, v] of Object.entries(want)) {
    if (typeof v === 'number') expect(g[k], k).toBeCloseTo(v, 6);
    else expect(g[k], k).toEqual(v);
  }
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('aggregator service on the embedded broker and registry', () => {
  let stack: Stack;
  let service: AggregatorService;
  let producer: Producer;
  let typed: TypedProducer;
  let reader: Consumer;
  const demand: { key: string; value: AggregatedDemand }[] = [];
  const cluster: ClusterLoad[] = [];
  const anomalies: Anomaly[] = [];
  const sent: UserForecast[] = [];

  beforeAll(async () => {
    stack = await startStack(3);
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId: 'aggregator-test', groupId: 'aggregator-test', httpPort: 0, logLevel: 'silent', shutdownTimeoutMs: 30_000 });
    // Lateness 1 tick: the 12:01 forecasts of one partition may arrive before the 12:00 ones of
    // another (with lateness 0 this test lost a third of window 12:00 as late). Both windows are
    // closed by the idle timer, 500 ms after the last forecast.
    service = createAggregatorService({ config, logger: pino({ level: 'silent' }), latenessTicks: 1, idleCloseMs: 500, correlation: 0.02 });
    await service.start(); // registers the schemas
    producer = stack.kafka('forecast-writer').producer();
    typed = new TypedProducer({ producer, registry: createRegistryClient(stack.registryUrl) });
    await typed.start();
    reader = stack.kafka('reader').consumer({ groupId: 'reader' });
    await reader.connect();
    await reader.subscribe({ topics: [Topics.demandPoolAggregated, Topics.demandClusterAggregated, Topics.feedbackAnomalyDetected], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        const key = message.key?.toString('utf8') ?? '';
        if (topic === Topics.demandPoolAggregated) {
          const d = await typed.codec(Topics.demandPoolAggregated).decode(message.value);
          if (d.ok) demand.push({ key, value: d.value });
        } else if (topic === Topics.demandClusterAggregated) {
          const d = await typed.codec(Topics.demandClusterAggregated).decode(message.value);
          if (d.ok) cluster.push(d.value);
        } else {
          const d = await typed.codec(Topics.feedbackAnomalyDetected).decode(message.value);
          if (d.ok) anomalies.push(d.value);
        }
      },
    });
  });

  afterAll(async () => {
    await reader?.disconnect();
    await typed?.close();
    await service?.close();
    await stack?.stop();
  });

  it('publishes demand per pool x horizon and cluster load for both ticks, equal to the pure core', async () => {
    const us = users();
    for (const tick of [T0, T0 + MIN]) {
      const batch = us.map((u) => forecastOf(u, tick, { horizons: [5, 15], producedAt: tick + 2_000 }));
      sent.push(...batch);
      await typed.send(Topics.forecastUserPublished, batch.map((f) => ({ key: f.userKey, value: f })));
    }
    await until(() => demand.length >= 2 * POOLS.length * 2 && cluster.length >= 4, 'demand and cluster load of two windows');

    expect(demand).toHaveLength(8);
    expect(cluster).toHaveLength(4);
    let known = new Set<string>();
    for (const tick of [T0, T0 + MIN]) {
      const expected = aggregateWindow({ windowStart: tick, forecasts: sent.filter((f) => f.tickTime === tick) }, service.settings, known);
      known = new Set(expected.bands.map((b) => b.poolKey));
      for (const e of expected.demand) {
        const got = demand.find((d) => d.key === e.key && d.value.windowStart === tick && d.value.horizonMinutes === e.value.horizonMinutes);
        expectSame(plain(got?.value), e.value);
      }
      for (const e of expected.cluster) {
        expectSame(plain(cluster.find((c) => c.windowStart === tick && c.horizonMinutes === e.value.horizonMinutes)), e.value);
      }
    }
    const d = demand.find((x) => x.key === 'python3.12/M' && x.value.windowStart === T0 && x.value.horizonMinutes === 5)!.value;
    expect(d.userCount).toBe(30); // 25 even users + 5 split (i % 10 === 5)
    expect(d.lowerBound).toBeLessThanOrEqual(d.mean);
    expect(d.upperBound).toBeGreaterThan(d.mean);
    expect(cluster[0]?.userCount).toBe(50);
    expect(service.stats()).toMatchObject({ forecasts: 100, windowsClosed: 2, windowsPublished: 2, demandPublished: 8, clusterPublished: 4, late: 0 });
  });

  it('turns a pool outcome far above the band into a CRITICAL anomaly', async () => {
    const band = demand.find((x) => x.key === 'python3.12/M' && x.value.windowStart === T0 + MIN && x.value.horizonMinutes === 5)!.value;
    const busy = (band.upperBound + 50) * 60; // 50 instances above the upper bound for the whole minute
    const o: PoolOutcomeInput = {
      poolId: 'sim-python3.12-M', pool: { runtime: 'python3.12', sizeClass: 'M' }, windowStart: T0 + MIN, windowEnd: T0 + 2 * MIN,
      requests: 500, warmHits: 100, coldStarts: 400, coldLatencyMsSum: 400_000, queued: 0, idleVmSeconds: 0, busyVmSeconds: busy, cost: 1, spotInterruptions: 0, adapter: 'simulator',
    };
    await typed.send(Topics.poolOutcomeReported, [{ key: o.poolId, value: o }]);
    await until(() => anomalies.length >= 1, 'an anomaly');
    expect(anomalies[0]).toMatchObject({
      subjectKind: 'POOL', subjectId: 'sim-python3.12-M', metric: 'concurrent_instances', severity: 'CRITICAL',
      observed: band.upperBound + 50, windowStart: T0 + MIN, forecastRef: `demand.pool.aggregated.v1/python3.12/M/5m@${T0 + MIN}`,
    });
  });

  it('close() publishes the windows still open (after consuming stops, before the producer closes)', async () => {
    // Closing waits for each consumer's in-flight fetch (kafkajs long-polls up to 5 s), one
    // consumer after the other: ~9.5 s for two, too close to the default 10 s limit.
    const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId: 'aggregator-close', groupId: 'aggregator-close', httpPort: 0, logLevel: 'silent', shutdownTimeoutMs: 30_000 });
    const second = createAggregatorService({ config, logger: pino({ level: 'silent' }), latenessTicks: 1, idleCloseMs: 0 });
    await second.start(); // a new group: reads the same 100 forecasts from the beginning
    await until(() => second.stats().forecasts === 100, 'the second aggregator to read all forecasts');
    expect(second.stats()).toMatchObject({ windowsClosed: 0, openWindows: 2 });
    const before = demand.length;
    await second.close();
    expect(second.stats()).toMatchObject({ windowsClosed: 2, windowsPublished: 2, openWindows: 0, pendingWindows: 0 });
    await until(() => demand.length >= before + 8, 'the flushed windows');
  });
});
