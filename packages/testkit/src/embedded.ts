// The embedded broker and registry on port 0 in a fresh temp dir, catalogue topics created,
// everything removed by stop(): the fixture every service's integration tests start from.
// (The kit's own tests keep a copy: the kit cannot depend on this package, which depends on it.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { startBroker } from '@warmcast/broker';
import type { RunningBroker } from '@warmcast/broker';
import { startRegistry } from '@warmcast/registry';
import type { RunningRegistry } from '@warmcast/registry';
import { catalogue, createRegistryClient, ensureTopics, parseConfig, registerSchemas } from '@warmcast/kit';
import type { KitConfig } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface EmbeddedOptions {
  /** Names the temp dir (warmcast-<name>-...) and the default Kafka client id. */
  readonly name: string;
  /** Catalogue topics to create: all (default), the given names, or none. */
  readonly topics?: 'all' | 'none' | readonly string[];
  /** Partitions per created topic; 1 by default (enough for per-partition logic, and fast). */
  readonly partitions?: number;
  /** Register the value schemas of the created topics (producers use useLatestVersion). */
  readonly registerSchemas?: boolean;
  /** pino level of the broker and registry (default silent). */
  readonly logLevel?: string;
}

export interface Embedded {
  readonly dir: string;
  readonly brokers: string[];
  readonly registryUrl: string;
  kafka(clientId?: string): KafkaT;
  /** A service config on this broker and registry: HTTP port 0, silent, fast retries unless overridden. */
  config(clientId: string, overrides?: Partial<Record<keyof KitConfig, unknown>>): KitConfig;
  stop(): Promise<void>;
}

export async function startEmbedded(o: EmbeddedOptions): Promise<Embedded> {
  const dir = await mkdtemp(join(tmpdir(), `warmcast-${o.name}-`));
  const logger = pino({ level: o.logLevel ?? 'silent' });
  let broker: RunningBroker | undefined;
  let registry: RunningRegistry | undefined;
  try {
    broker = await startBroker({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kafka'), groupInitialRebalanceDelayMs: 0, logger });
    registry = await startRegistry({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'registry'), logger });
    const brokers = [`127.0.0.1:${broker.port}`];
    const kafka = (clientId = `${o.name}-test`): KafkaT => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
    const wanted = o.topics ?? 'all';
    const topics = wanted === 'all' ? catalogue : wanted === 'none' ? [] : catalogue.filter((t) => wanted.includes(t.name));
    if (topics.length > 0) {
      const admin = kafka(`${o.name}-admin`).admin();
      await admin.connect();
      await ensureTopics(admin, topics, { partitionsOverride: o.partitions ?? 1 });
      await admin.disconnect();
      if (o.registerSchemas === true) await registerSchemas(createRegistryClient(registry.url), topics);
    }
    const [b, r] = [broker, registry];
    return {
      dir, brokers, registryUrl: r.url, kafka,
      config: (clientId, overrides = {}) => parseConfig({
        kafkaBrokers: brokers, registryUrl: r.url, clientId, groupId: clientId, httpPort: 0, logLevel: 'silent', retryBaseMs: 10, retryMaxMs: 100, ...overrides,
      }),
      async stop() {
        await r.close();
        await b.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await registry?.close();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
