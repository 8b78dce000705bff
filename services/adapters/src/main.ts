// Entry point: `node --import tsx services/adapters/src/main.ts`. Kit keys (WARMCAST_*) and the
// service's own WARMCAST_ADAPTERS_* keys come from the environment; closes on SIGTERM/SIGINT.
import { closeOnSignals, parseConfig } from '@warmcast/kit';
import { createAdapterService } from './service.ts';
import { adapterEnv } from './env.ts';

const env = process.env;
const config = parseConfig({ clientId: env['WARMCAST_CLIENT_ID'] ?? 'adapters', groupId: env['WARMCAST_GROUP_ID'] ?? 'adapters' }, env);
const own = adapterEnv(env);
const service = createAdapterService({ config, simulator: own.simulator, consumeRequests: own.consumeRequests });
closeOnSignals(service);
await service.start();
const summary = setInterval(() => service.log.info(service.stats(), 'adapters summary'), 60_000);
summary.unref();
