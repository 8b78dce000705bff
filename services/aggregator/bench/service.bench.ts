// Window close -> publish latency of the running service on the embedded broker + registry:
//   node --import tsx services/aggregator/bench/service.bench.ts [users=1000] [ticks=20] [partitions=3] [idlePartitionTicks=5] [idleCloseMs=1000]
// Forecasts for `ticks` consecutive ticks are produced as fast as the broker takes them (a
// replay far above 600x), so windows close on the watermark (lateness 1 tick) while the next
// ticks stream in; the last ones close on the idle timer. Prints the service's stats().
import { pino } from 'pino';
import { createRegistryClient, parseConfig, Topics, TypedProducer } from '@warmcast/kit';
import { createAggregatorService } from '../src/service.ts';
import { startStack } from '../test/integration/stack.ts';
import { bernoulliGeometric, forecastOf, poisson, prng } from '../test/support/synthetic.ts';
import type { SynthUser } from '../test/support/synthetic.ts';

const [users = 1000, ticks = 20, partitions = 3, idlePartitionTicks = 5, idleCloseMs = 1_000] = process.argv.slice(2).map(Number);
const POOLS = ['python3.12/S', 'python3.12/M', 'node20/S', 'go1.22/M'];
const T0 = Date.UTC(2026, 10, 23, 12, 0);

const stack = await startStack(partitions);
const config = parseConfig({ kafkaBrokers: stack.brokers, registryUrl: stack.registryUrl, clientId: 'agg-bench', groupId: 'agg-bench', httpPort: 0, logLevel: 'silent' });
const service = createAggregatorService({ config, logger: pino({ level: 'silent' }), latenessTicks: 1, idlePartitionTicks, idleCloseMs });
await service.start();
const typed = new TypedProducer({ producer: stack.kafka('bench-writer').producer(), registry: createRegistryClient(stack.registryUrl) });
await typed.start();

const rand = prng(11);
const population: SynthUser[] = Array.from({ length: users }, (_, i) => ({
  key: `user-${i}`, dist: i % 2 === 0 ? poisson(0.1 + rand()) : bernoulliGeometric(0.1 + 0.4 * rand(), 1 + 2 * rand()),
  poolMix: { [POOLS[i % POOLS.length] as string]: 1 }, tier: 'STANDARD', cores: 1, mib: 512,
}));
const started = Date.now();
for (let t = 0; t < ticks; t++) {
  const tick = T0 + t * 60_000;
  const batch = population.map((u) => forecastOf(u, tick, { horizons: [5, 15, 30, 120], producedAt: tick + 1_000 }));
  for (let i = 0; i < batch.length; i += 500) {
    await typed.send(Topics.forecastUserPublished, batch.slice(i, i + 500).map((f) => ({ key: f.userKey, value: f })));
  }
}
const produced = Date.now() - started;
while ((service.stats()['windowsPublished'] ?? 0) < ticks && Date.now() - started < 300_000) await new Promise((r) => setTimeout(r, 100));
const s = service.stats();
console.log(JSON.stringify({ users, ticks, partitions, idlePartitionTicks, idleCloseMs, produceMs: produced, totalMs: Date.now() - started, ...s }));
await typed.close();
await service.close();
await stack.stop();
