// The profiler in a child process for the SIGKILL test: config from argv JSON, stats as one JSON
// line every 100 ms on stdout; SIGTERM closes it gracefully.
import { pino } from 'pino';
import { parseConfig } from '@warmcast/kit';
import { createProfilerService, profilerProducerFromEnv } from '../../src/index.ts';

const arg = JSON.parse(process.argv[2] ?? '{}') as { brokers: string[]; registryUrl: string; groupId: string; generationMinutes: number };
const config = parseConfig({ kafkaBrokers: arg.brokers, registryUrl: arg.registryUrl, clientId: 'profiler-child', groupId: arg.groupId, httpPort: 0, logLevel: 'silent' });
const service = createProfilerService({ config, logger: pino({ level: 'silent' }), generationMinutes: arg.generationMinutes, producer: profilerProducerFromEnv(process.env) });
await service.start();
const timer = setInterval(() => process.stdout.write(`${JSON.stringify(service.stats())}\n`), 100);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void service.close().then(() => process.exit(0), () => process.exit(1));
});
