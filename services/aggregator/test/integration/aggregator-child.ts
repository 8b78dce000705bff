// The aggregator in a child process for the SIGKILL test: config from argv JSON, stats as one
// JSON line every 100 ms on stdout; SIGTERM closes it gracefully, SIGKILL drops everything
// (connections, open windows, uncommitted offsets) as a crash does.
import { pino } from 'pino';
import { parseConfig } from '@warmcast/kit';
import { createAggregatorService } from '../../src/index.ts';

const arg = JSON.parse(process.argv[2] ?? '{}') as { brokers: string[]; registryUrl: string; groupId: string };
const config = parseConfig({ kafkaBrokers: arg.brokers, registryUrl: arg.registryUrl, clientId: 'aggregator-child', groupId: arg.groupId, httpPort: 0, logLevel: 'silent', shutdownTimeoutMs: 30_000 });
// Windows close by the watermark only (no idle timer), and no partition is ever treated as idle:
// which forecasts a window gets then does not depend on how fetches interleave, so an
// uninterrupted run and a killed-and-restarted one can be compared window by window.
const service = createAggregatorService({ config, logger: pino({ level: 'silent' }), latenessTicks: 1, idleCloseMs: 0, idlePartitionTicks: 1_000 });
await service.start();
const timer = setInterval(() => process.stdout.write(`${JSON.stringify(service.stats())}\n`), 100);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void service.close().then(() => process.exit(0), () => process.exit(1));
});
