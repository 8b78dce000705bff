import { describe, expect, it } from 'vitest';
import { profilerEnv } from '../src/profiler-env.ts';
import { DEFAULT_PROFILER_OPTIONS, profilerOptions } from '../src/core/options.ts';

describe('profiler options', () => {
  it('defaults: 60 s ticks, horizons 5/15/30/120, active 2 h', () => {
    expect(profilerOptions()).toEqual(DEFAULT_PROFILER_OPTIONS);
    expect(profilerOptions().horizons).toEqual([5, 15, 30, 120]);
  });

  it('reads WARMCAST_PROFILER_* keys', () => {
    expect(profilerOptions(profilerEnv({ WARMCAST_PROFILER_TICK_MS: '120000', WARMCAST_PROFILER_HORIZONS: '5,60' }))).toMatchObject({ tickMs: 120_000, horizons: [5, 60] });
  });

  it.each([
    [{ tickMs: 1000 }, /tickMs=1000 must be a positive multiple of 60000/],
    [{ horizons: [15, 5] }, /horizons=\[15,5\] must be a non-empty ascending list/],
    [{ generationMinutes: 60 }, /generationMinutes=60 must be an integer in 120\.\.10080/],
    [{ scoreEveryTicks: 0 }, /scoreEveryTicks=0/],
  ])('rejects %j naming the key, the value and what is allowed', (o, msg) => {
    expect(() => profilerOptions(o)).toThrow(msg);
  });

  it('names the environment key of a non-number', () => {
    expect(() => profilerEnv({ WARMCAST_PROFILER_ACTIVE_MS: 'two hours' })).toThrow(/WARMCAST_PROFILER_ACTIVE_MS="two hours" must be a number/);
  });
});

describe('profilerOptionsFromEnv', () => {
  it('names the environment key in range errors', async () => {
    const { profilerOptionsFromEnv } = await import('../src/profiler-env.ts');
    expect(() => profilerOptionsFromEnv({ WARMCAST_PROFILER_TICK_MS: '1000' })).toThrow(/^WARMCAST_PROFILER_TICK_MS=1000 must be a positive multiple of 60000/);
    expect(profilerOptionsFromEnv({}).tickMs).toBe(60_000);
  });
});

describe('profilerProducerFromEnv', () => {
  it('reads WARMCAST_PROFILER_PRODUCER, falls back to the default, and names the key of a bad value', async () => {
    const { profilerProducerFromEnv } = await import('../src/profiler-env.ts');
    const { DEFAULT_PRODUCER } = await import('../src/index.ts');
    expect(profilerProducerFromEnv({ WARMCAST_PROFILER_PRODUCER: 'lean' })).toBe('lean');
    expect(profilerProducerFromEnv({ WARMCAST_PROFILER_PRODUCER: ' kafkajs ' })).toBe('kafkajs');
    expect(profilerProducerFromEnv({})).toBe(DEFAULT_PRODUCER);
    expect(profilerProducerFromEnv({ WARMCAST_PROFILER_PRODUCER: '' })).toBe(DEFAULT_PRODUCER);
    expect(() => profilerProducerFromEnv({ WARMCAST_PROFILER_PRODUCER: 'librdkafka' })).toThrow(/^WARMCAST_PROFILER_PRODUCER="librdkafka" must be one of kafkajs, lean/);
  });
});

describe('profilerGlobalModelsFromEnv', () => {
  it('reads WARMCAST_PROFILER_GLOBAL_MODELS (on by default) and names the key of a bad value', async () => {
    const { profilerGlobalModelsFromEnv } = await import('../src/profiler-env.ts');
    expect(profilerGlobalModelsFromEnv({})).toBe(true);
    expect(profilerGlobalModelsFromEnv({ WARMCAST_PROFILER_GLOBAL_MODELS: 'on' })).toBe(true);
    expect(profilerGlobalModelsFromEnv({ WARMCAST_PROFILER_GLOBAL_MODELS: ' off ' })).toBe(false);
    expect(() => profilerGlobalModelsFromEnv({ WARMCAST_PROFILER_GLOBAL_MODELS: 'yes' })).toThrow(/^WARMCAST_PROFILER_GLOBAL_MODELS="yes" must be one of on, off/);
  });
});
