import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../src/lifecycle.ts';
import type { Component, Stage } from '../src/lifecycle.ts';

function fake(name: string, stage: Stage, log: string[], fail?: 'start' | 'close'): Component {
  return {
    name, stage,
    start: async () => { log.push(`start ${name}`); if (fail === 'start') throw new Error(`${name} start failed`); },
    close: async () => { log.push(`close ${name}`); if (fail === 'close') throw new Error(`${name} close failed`); },
  };
}

describe('Lifecycle', () => {
  it('starts http, producers, sinks, consumers; closes consumers, sinks, producers, http (regardless of add order)', async () => {
    const log: string[] = [];
    const lc = new Lifecycle()
      .add(fake('requests-consumer', 'consumer', log))
      .add(fake('producer', 'producer', log))
      .add(fake('clickhouse-sink', 'sink', log))
      .add(fake('http', 'http', log))
      .add(fake('metrics-consumer', 'consumer', log));
    await lc.start();
    await lc.close();
    expect(log).toEqual([
      'start http', 'start producer', 'start clickhouse-sink', 'start requests-consumer', 'start metrics-consumer',
      'close metrics-consumer', 'close requests-consumer', 'close clickhouse-sink', 'close producer', 'close http',
    ]);
  });

  it('closes consumers together (each may wait out a fetch), then the other stages in order', async () => {
    const log: string[] = [];
    const slow = (name: string): Component => ({
      name, stage: 'consumer',
      start: async () => {},
      close: async () => { log.push(`close ${name} begins`); await Promise.resolve(); await Promise.resolve(); log.push(`close ${name} ends`); },
    });
    const lc = new Lifecycle().add(fake('p', 'producer', log)).add(slow('a')).add(slow('b'));
    await lc.start();
    await lc.close();
    expect(log).toEqual(['start p', 'close b begins', 'close a begins', 'close b ends', 'close a ends', 'close p']);
  });

  it('a failed start closes what already started, in reverse, and rethrows', async () => {
    const log: string[] = [];
    const lc = new Lifecycle().add(fake('p', 'producer', log)).add(fake('s', 'sink', log, 'start')).add(fake('c', 'consumer', log));
    await expect(lc.start()).rejects.toThrow('s start failed');
    expect(log).toEqual(['start p', 'start s', 'close p']);
  });

  it('close keeps going past a failing component and rethrows the first error; a second close is a no-op', async () => {
    const log: string[] = [];
    const errors: string[] = [];
    const lc = new Lifecycle({ onError: (c, phase) => errors.push(`${phase} ${c.name}`) })
      .add(fake('p', 'producer', log)).add(fake('s', 'sink', log, 'close')).add(fake('c', 'consumer', log));
    await lc.start();
    await expect(lc.close()).rejects.toThrow('s close failed');
    await lc.close();
    expect(log.filter((l) => l.startsWith('close'))).toEqual(['close c', 'close s', 'close p']);
    expect(errors).toEqual(['close s']);
  });

  it('refuses to add after start', async () => {
    const lc = new Lifecycle();
    await lc.start();
    expect(() => lc.add(fake('x', 'sink', []))).toThrow(/already started/);
  });
});
