// Reads an optional policy JSON file (WARMCAST_SCALER_POLICY_FILE) and validates it; any error
// is CONFIG_INVALID naming the file, the key, the value and what is allowed.
import { readFile } from 'node:fs/promises';
import { WarmcastError } from '@warmcast/kit';
import { parsePolicy } from './core/policy-parse.ts';
import type { ScalerPolicy } from './core/policy.ts';

export function policyOrThrow(json: unknown, source = 'policy'): ScalerPolicy {
  const r = parsePolicy(json);
  if (!r.ok) throw new WarmcastError('CONFIG_INVALID', `${source}: ${r.errors.join('; ')}`);
  return r.policy;
}

export async function loadPolicyFile(path: string): Promise<ScalerPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new WarmcastError('CONFIG_INVALID', `WARMCAST_SCALER_POLICY_FILE=${JSON.stringify(path)} must be a readable JSON file: ${(err as Error).message}`, { cause: err });
  }
  return policyOrThrow(json, path);
}
