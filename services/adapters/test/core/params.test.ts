import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, ParamError, costPerMs, simulatorParams } from '../../src/core/params.ts';

describe('simulatorParams', () => {
  it('defaults are the documented ones, frozen', () => {
    const p = simulatorParams();
    expect(p).toEqual(DEFAULT_PARAMS);
    expect(p.boot).toEqual({ medianMs: 2500, sigma: 0.35 });
    expect(p.keepAliveMs).toBe(600_000);
    expect(p.windowMs).toBe(60_000);
    expect(p.marketMultiplier).toEqual({ 'on-demand': 1, reserved: 0.6, spot: 0.3 });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('merges nested options', () => {
    expect(simulatorParams({ capacity: { spot: 7 } }).capacity).toEqual({ 'on-demand': 100, spot: 7, reserved: 10 });
  });

  it.each([
    [{ windowMs: 10 }, /windowMs=10 must be an integer in 1000\.\.86400000/],
    [{ boot: { medianMs: 0, sigma: 0.3 } }, /boot\.medianMs=0/],
    [{ capacity: { spot: -1 } }, /capacity\.spot=-1/],
    [{ capacityByPool: { 'py/M': 1.5 } }, /capacityByPool\[py\/M\]=1\.5/],
    [{ adapter: '' }, /adapter=""/],
  ])('rejects %j naming the key and the range', (o, msg) => {
    expect(() => simulatorParams(o)).toThrow(ParamError);
    expect(() => simulatorParams(o)).toThrow(msg);
  });

  it('an M VM costs $0.0449 per hour on demand', () => {
    expect(costPerMs(DEFAULT_PARAMS.prices, 1, 1024, 0) * 3_600_000).toBeCloseTo(0.044925, 6);
  });
});
