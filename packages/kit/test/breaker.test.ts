import { describe, expect, it } from 'vitest';
import { createBreaker, guardWith } from '../src/breaker.ts';
import { WarmcastError } from '../src/errors.ts';

describe('createBreaker', () => {
  it('opens after failures reach the threshold and then fails fast with CIRCUIT_OPEN', async () => {
    let calls = 0;
    const b = createBreaker('registry', async () => { calls++; throw new WarmcastError('REGISTRY_UNAVAILABLE', 'down'); }, { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 });
    await expect(b.call()).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    await expect(b.call()).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect(b.opened()).toBe(true);
    await expect(b.call()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', retriable: true });
    expect(calls).toBe(2);
    b.shutdown();
  });

  it('does not count caller errors (not retriable, e.g. 409 incompatible) towards opening', async () => {
    const b = createBreaker('registry', async () => { throw new WarmcastError('SCHEMA_INCOMPATIBLE', '409'); }, { volumeThreshold: 1 });
    for (let i = 0; i < 5; i++) await expect(b.call()).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
    expect(b.opened()).toBe(false);
    b.shutdown();
  });

  it('passes results through', async () => {
    const b = createBreaker('add', async (a: number, c: number) => a + c);
    expect(await b.call(2, 3)).toBe(5);
    b.shutdown();
  });
});

describe('guardWith', () => {
  it('runs any call through one breaker and does not count HTTP 4xx (e.g. 404 unknown id) as failures', async () => {
    const b = createBreaker('registry', (call: () => Promise<unknown>) => call(), { volumeThreshold: 1 });
    const guard = guardWith(b);
    expect(await guard(async () => 'schema')).toBe('schema');
    const notFound = Object.assign(new Error('Schema 9999 not found'), { status: 404 });
    for (let i = 0; i < 3; i++) await expect(guard(async () => { throw notFound; })).rejects.toBe(notFound);
    expect(b.opened()).toBe(false);
    b.shutdown();
    // A 502 is the dependency's fault: it counts, and the open breaker fails fast.
    const b2 = createBreaker('registry', (call: () => Promise<unknown>) => call(), { volumeThreshold: 1 });
    const guard2 = guardWith(b2);
    await expect(guard2(async () => { throw Object.assign(new Error('bad gateway'), { status: 502 }); })).rejects.toThrow('bad gateway');
    expect(b2.opened()).toBe(true);
    await expect(guard2(async () => 'x')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    b2.shutdown();
  });
});
