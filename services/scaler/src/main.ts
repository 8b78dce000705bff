// Runs the scaler from the environment: WARMCAST_* (kit) + WARMCAST_SCALER_* (env.ts), an
// optional policy JSON file; closes on SIGTERM/SIGINT.
//   node --import tsx services/scaler/src/main.ts
import { closeOnSignals, parseConfig } from '@warmcast/kit';
import { createScalerService } from './service.ts';
import { parseScalerEnv } from './env.ts';
import { DEFAULT_POLICY, withMode } from './core/policy.ts';
import { loadPolicyFile } from './policy-file.ts';

const env = process.env;
const config = parseConfig({ clientId: env['WARMCAST_CLIENT_ID'] ?? 'scaler', groupId: env['WARMCAST_GROUP_ID'] ?? 'scaler' }, env);
const scalerEnv = parseScalerEnv(env);
let policy = scalerEnv.policyFile === null ? DEFAULT_POLICY : await loadPolicyFile(scalerEnv.policyFile);
if (scalerEnv.mode !== null) policy = withMode(policy, scalerEnv.mode);
const service = createScalerService({ config, policy, debounceMs: scalerEnv.debounceMs, heavyUsersFromForecasts: scalerEnv.heavyUsersFromForecasts });
await service.start();
closeOnSignals(service);
