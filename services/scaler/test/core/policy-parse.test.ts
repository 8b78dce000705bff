import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/policy-parse.ts';
import { DEFAULT_POOL_POLICY, policyFor, withMode } from '../../src/core/policy.ts';

describe('parsePolicy', () => {
  it('an empty policy is the documented defaults', () => {
    const r = parsePolicy({});
    expect(r.ok && r.policy.defaults).toEqual(DEFAULT_POOL_POLICY);
    expect(r.ok && r.policy.global.horizons).toEqual([5, 15, 30, 120]);
  });

  it('merges runtime < configuration < pool id, nested records field by field', () => {
    const r = parsePolicy({ defaults: { bufferPct: 5 }, pools: { 'python3.12': { minInstances: 2, scaleIn: { graceMs: 0 } }, 'python3.12/M': { minInstances: 3 } } });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const m = policyFor(r.policy, 'python3.12/M');
    expect([m.bufferPct, m.minInstances, m.scaleIn.graceMs, m.scaleIn.stabilizationMs]).toEqual([5, 3, 0, 300_000]);
    expect(policyFor(r.policy, 'python3.12/S').minInstances).toBe(2);
    expect(policyFor(r.policy, 'node22/S').minInstances).toBe(0);
    expect(Object.isFrozen(r.policy.pools)).toBe(true);
  });

  it.each([
    [{ defaults: { mode: 'on' } }, 'defaults.mode="on" must be one of off, forecast-only, enforce'],
    [{ pools: { 'python3.12/M': { scaleIn: { graceMs: -5 } } } }, 'pools["python3.12/M"].scaleIn.graceMs=-5 must be an integer in 0..604800000'],
    [{ pools: { 'python3.12/Q': {} } }, 'pools["python3.12/Q"]="python3.12/Q" must be a runtime'],
    [{ defaults: { schedules: [{ cron: '0 25 * * *', durationMs: 3_600_000 }] } }, 'defaults.schedules[0].cron="0 25 * * *" must be a 5-field cron expression (field 2 "25" is outside 0-23)'],
    [{ defaults: { minInstances: 5, maxInstances: 2 } }, 'defaults.minInstances=5 must be <= maxInstances (2)'],
    [{ defaults: { bufer: 1 } }, 'defaults.bufer=1 must be absent (unknown key'],
    [{ global: { horizons: [] } }, 'global.horizons=[] must be a non-empty list'],
    [{ defaults: { breach: 'ignore' } }, 'defaults.breach="ignore" must be one of honour, raise'],
  ])('%j -> %s', (json, message) => {
    const r = parsePolicy(json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(message);
  });

  it('withMode switches every pool (the "prediction off" run)', () => {
    const r = parsePolicy({ pools: { 'python3.12/M': { mode: 'enforce' } } });
    if (!r.ok) throw new Error('parse');
    const off = withMode(r.policy, 'off');
    expect(policyFor(off, 'python3.12/M').mode).toBe('off');
    expect(policyFor(off, 'node22/S').mode).toBe('off');
  });
});
