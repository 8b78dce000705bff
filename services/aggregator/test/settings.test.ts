import { describe, expect, it } from 'vitest';
import { parseAggregatorSettings } from '../src/settings.ts';

describe('parseAggregatorSettings', () => {
  it('defaults', () => {
    const s = parseAggregatorSettings();
    expect(s).toMatchObject({ tickMs: 60_000, latenessMs: 60_000, idleCloseMs: 3_000, confidence: 0.9, correlation: 0.01, cluster: 'default', exactMaxUsers: 50 });
    expect(s.weights.tiers).toEqual({ FREE: 0.5, STANDARD: 1, PREMIUM: 1.25, ENTERPRISE: 1.5, UNKNOWN: 1 });
    expect(s.anomaly).toMatchObject({ criticalDistance: 1, bounds: 'statistical' });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('environment, with code overrides winning', () => {
    const env = {
      WARMCAST_AGGREGATOR_TICK_MS: '30000', WARMCAST_AGGREGATOR_LATENESS_TICKS: '2', WARMCAST_AGGREGATOR_CONFIDENCE: '0.8',
      WARMCAST_AGGREGATOR_TIER_WEIGHTS: 'FREE=0.25, ENTERPRISE=2', WARMCAST_AGGREGATOR_ANOMALY_BOUNDS: 'published', WARMCAST_AGGREGATOR_CORRELATION: '0.1',
    };
    const s = parseAggregatorSettings({ correlation: 0.2 }, env);
    expect(s).toMatchObject({ tickMs: 30_000, latenessMs: 60_000, confidence: 0.8, correlation: 0.2 });
    expect(s.weights.tiers).toMatchObject({ FREE: 0.25, STANDARD: 1, ENTERPRISE: 2 });
    expect(s.anomaly.bounds).toBe('published');
  });

  it.each([
    [{ WARMCAST_AGGREGATOR_CONFIDENCE: '1.5' }, 'WARMCAST_AGGREGATOR_CONFIDENCE="1.5" must be a number in 0.5..0.999'],
    [{ WARMCAST_AGGREGATOR_TICK_MS: '10.5' }, 'WARMCAST_AGGREGATOR_TICK_MS="10.5" must be an integer in 1000..86400000'],
    [{ WARMCAST_AGGREGATOR_TIER_WEIGHTS: 'GOLD=2' }, 'bad tier "GOLD"'],
    [{ WARMCAST_AGGREGATOR_TIER_WEIGHTS: 'FREE=-1' }, 'WARMCAST_AGGREGATOR_TIER_WEIGHTS[FREE]="-1" must be a number in 0..10'],
    [{ WARMCAST_AGGREGATOR_ANOMALY_BOUNDS: 'both' }, 'must be statistical or published'],
    [{ WARMCAST_AGGREGATOR_CLUSTER: 'a b' }, 'WARMCAST_AGGREGATOR_CLUSTER="a b"'],
  ])('%o -> CONFIG_INVALID naming key and value', (env, text) => {
    expect(() => parseAggregatorSettings({}, env)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(text) }));
  });
});
