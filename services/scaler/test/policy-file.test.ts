import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, policyOrThrow } from '../src/policy-file.ts';
import { DEFAULT_POOL_POLICY, policyFor } from '../src/core/policy.ts';

describe('policy file', () => {
  it('the shipped example parses; its defaults section equals the documented defaults', async () => {
    const p = await loadPolicyFile(fileURLToPath(new URL('../policy.example.json', import.meta.url)));
    expect(p.defaults).toEqual(DEFAULT_POOL_POLICY);
    expect(policyFor(p, 'python3.12/M').cost.reservedInstances).toBe(2);
    expect(policyFor(p, 'node22/S').mode).toBe('forecast-only');
  });
  it('a bad file is CONFIG_INVALID naming the key', async () => {
    await expect(loadPolicyFile('/nonexistent/policy.json')).rejects.toThrow('WARMCAST_SCALER_POLICY_FILE="/nonexistent/policy.json" must be a readable JSON file');
    expect(() => policyOrThrow({ defaults: { bufferPct: -1 } }, 'p.json')).toThrow('p.json: defaults.bufferPct=-1 must be a number in 0..1000');
  });
});
