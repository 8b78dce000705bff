/**
 * `warmcast topics [--create] [--brokers host:port]`: lists the topic catalogue (name,
 * partitions, cleanup policy, value subject); --create also creates the missing ones on the
 * broker with their catalogue settings (existing topics are left as they are).
 * Also home of the connection flags shared by topics, publish and tail: --brokers and
 * --registry default to WARMCAST_KAFKA_BROKERS / WARMCAST_REGISTRY_URL, then localhost.
 */
import { InvalidArgumentError, type Command } from 'commander';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaT } from 'kafkajs';
import { catalogue, ensureTopics, parseConfig, type LoadedTopic } from '@warmcast/kit';

const { Kafka, logLevel } = kafkajs;

export interface ConnectionFlags {
  brokers?: readonly string[];
  registry?: string;
}

/** --brokers a:1,b:2 -> list, checked with the kit's config rules (message names what is allowed). */
export function brokersFlag(value: string): readonly string[] {
  try {
    return parseConfig({ kafkaBrokers: value }).kafkaBrokers;
  } catch {
    throw new InvalidArgumentError('must be a comma-separated list of host:port, e.g. localhost:9092');
  }
}

export function registryFlag(value: string): string {
  try {
    return parseConfig({ registryUrl: value }).registryUrl;
  } catch {
    throw new InvalidArgumentError('must be an http(s) URL, e.g. http://localhost:8081');
  }
}

export function addConnectionFlags(cmd: Command, registry: boolean): Command {
  cmd.option('--brokers <list>', 'Kafka bootstrap brokers, host:port[,host:port] (default $WARMCAST_KAFKA_BROKERS or localhost:9092)', brokersFlag);
  if (registry) cmd.option('--registry <url>', 'Schema Registry URL (default $WARMCAST_REGISTRY_URL or http://localhost:8081)', registryFlag);
  return cmd;
}

/** Flags win over WARMCAST_* env, env over defaults (an invalid env value names its key). */
export function resolveConnection(flags: ConnectionFlags): { brokers: readonly string[]; registryUrl: string } {
  const config = parseConfig({
    ...(flags.brokers !== undefined ? { kafkaBrokers: flags.brokers } : {}),
    ...(flags.registry !== undefined ? { registryUrl: flags.registry } : {}),
  }, process.env);
  return { brokers: config.kafkaBrokers, registryUrl: config.registryUrl };
}

/** kafkajs client that gives up after ~5 retries (a few seconds) instead of hanging on a wrong address. */
export function kafkaClient(brokers: readonly string[], clientId: string): KafkaT {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 5, initialRetryTime: 100 } });
}

export async function createCatalogueTopics(kafka: KafkaT, topics: readonly LoadedTopic[] = catalogue): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/** One line per message for a failure the user can act on; exit code 1. */
export function fail(command: string, err: unknown): void {
  process.stderr.write(`warmcast ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

export function catalogueTable(): string {
  const rows = catalogue.map((t) => [t.name, String(t.partitions), t.cleanupPolicy, t.valueSubject]);
  const head = ['topic', 'partitions', 'policy', 'value subject'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export function registerTopicsCommand(program: Command): void {
  const cmd = program
    .command('topics')
    .description('list the topic catalogue; --create creates the missing topics on the broker')
    .option('--create', 'create missing catalogued topics (catalogue partitions, cleanup.policy, retention.ms)', false);
  addConnectionFlags(cmd, false).action(async (flags: ConnectionFlags & { create: boolean }) => {
    process.stdout.write(catalogueTable());
    if (!flags.create) return;
    try {
      const { brokers } = resolveConnection(flags);
      const created = await createCatalogueTopics(kafkaClient(brokers, 'warmcast-topics'));
      process.stdout.write(`created ${created.length} topic(s) on ${brokers.join(',')}${created.length > 0 ? `: ${created.join(', ')}` : ' (all existed)'}\n`);
    } catch (err) {
      fail('topics', err);
    }
  });
}
