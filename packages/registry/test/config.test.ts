import { describe, expect, it } from 'vitest';
import { parseRegistryConfig, RegistryConfigError } from '../src/index.ts';

describe('parseRegistryConfig', () => {
  it('defaults: port 8081 on 127.0.0.1, frozen', () => {
    const c = parseRegistryConfig({ dataDir: './data/registry' });
    expect(c).toEqual({ port: 8081, host: '127.0.0.1', dataDir: './data/registry' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ dataDir: 'd', port: 70000 }, 'port', '70000'],
    [{ dataDir: 'd', port: 1.5 }, 'port', '1.5'],
    [{ dataDir: 'd', host: ' ' }, 'host', '" "'],
    [{ dataDir: '' }, 'dataDir', '""'],
  ])('%j is refused naming key, value and what is allowed', (opts, key, value) => {
    let err: unknown;
    try {
      parseRegistryConfig(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegistryConfigError);
    expect((err as RegistryConfigError).key).toBe(key);
    expect((err as Error).message).toContain(`${key}=${value}`);
    expect((err as Error).message).toContain('allowed:');
  });
});
