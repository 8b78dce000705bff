// Runs the scaler from the environment: WARMCAST_* (kit) + WARMCAST_SCALER_* (env.ts), an
// optional policy JSON file; closes on SIGTERM/SIGINT. A configuration error is one line and
// exit code 2 (as `warmcast broker` does), not a stack trace.
//   node --import tsx services/scaler/src/main.ts
import { closeOnSignals, createLogger, isWarmcastError, parseConfig } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';
import { createScalerService } from './service.ts';
import { parseScalerEnv } from './env.ts';
import type { ScalerEnv } from './env.ts';
import { DEFAULT_POLICY, withMode } from './core/policy.ts';
import type { ScalerPolicy } from './core/policy.ts';
import { loadPolicyFile } from './policy-file.ts';

const env = process.env;
let config: KitConfig;
let scalerEnv: ScalerEnv;
let policy: ScalerPolicy;
try {
  config = parseConfig({ clientId: env['WARMCAST_CLIENT_ID'] ?? 'scaler', groupId: env['WARMCAST_GROUP_ID'] ?? 'scaler' }, env);
  scalerEnv = parseScalerEnv(env);
  policy = scalerEnv.policyFile === null ? DEFAULT_POLICY : await loadPolicyFile(scalerEnv.policyFile);
  if (scalerEnv.mode !== null) policy = withMode(policy, scalerEnv.mode);
} catch (err) {
  if (!isWarmcastError(err) || err.code !== 'CONFIG_INVALID') throw err;
  createLogger({ name: 'scaler', level: 'info' }).error({ err: { code: err.code, message: err.message } }, 'invalid configuration');
  process.exit(2);
}
const service = createScalerService({ config, policy, debounceMs: scalerEnv.debounceMs, heavyUsersFromForecasts: scalerEnv.heavyUsersFromForecasts });
await service.start();
closeOnSignals(service);
