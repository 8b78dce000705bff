import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom, startEmbedded } from '../src/index.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs across seeds, and stays in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, seededRandom(7));
    expect(Array.from({ length: 1000 }, seededRandom(7))).toEqual(a);
    expect(Array.from({ length: 5 }, seededRandom(8))).not.toEqual(a.slice(0, 5));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(a.reduce((s, x) => s + x, 0) / a.length).toBeCloseTo(0.5, 1);
  });
});

describe('startEmbedded', () => {
  it('serves the broker and registry with the chosen topics, and stop() removes its directory', async () => {
    const e = await startEmbedded({ name: 'testkit', topics: ['exec.request.received.v1'], partitions: 2, registerSchemas: true });
    try {
      const admin = e.kafka().admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: ['exec.request.received.v1'] });
      expect(meta.topics[0]?.partitions).toHaveLength(2);
      expect(await admin.listTopics()).toEqual(['exec.request.received.v1']);
      await admin.disconnect();
      const subjects = (await (await fetch(`${e.registryUrl}/subjects`)).json()) as string[];
      expect(subjects).toEqual(['exec.request.received.v1-value']);
      expect(e.config('svc')).toMatchObject({ kafkaBrokers: e.brokers, registryUrl: e.registryUrl, clientId: 'svc', groupId: 'svc', httpPort: 0 });
    } finally {
      await e.stop();
    }
    expect(existsSync(e.dir)).toBe(false);
  });
});
