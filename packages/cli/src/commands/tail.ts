/**
 * `warmcast tail <topic> [--from-beginning] [--max N] [--format json|pretty]`: prints the
 * messages of a catalogued topic, values decoded through the Schema Registry (Confluent wire
 * format, the kit's ValueCodec), one JSON line per message with partition, offset, key and
 * timestamp. Operators use it on provision.command.issued.v1. Reads as a throw-away consumer
 * group that commits nothing; starts at the end unless --from-beginning. Exits after --max
 * messages or on Ctrl-C (exit 0); an unknown topic name lists the catalogue (exit 2).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { catalogue, createRegistryClient, isCataloguedTopic, topicSpec, ValueCodec } from '@warmcast/kit';
import { addConnectionFlags, fail, kafkaClient, resolveConnection, type ConnectionFlags } from './topics.ts';

interface TailFlags extends ConnectionFlags {
  fromBeginning: boolean;
  max?: number;
  format: 'json' | 'pretty';
}

function maxFlag(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return Number(value);
}

function formatFlag(value: string): 'json' | 'pretty' {
  if (value !== 'json' && value !== 'pretty') throw new InvalidArgumentError('must be json or pretty');
  return value;
}

/** Buffers (dead letters carry the original bytes) print as base64, bigints as strings. */
function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return Buffer.from((v as { data: number[] }).data).toString('base64');
  }
  return v;
}

export function registerTailCommand(program: Command): void {
  const cmd = program
    .command('tail')
    .description('print the messages of a catalogued topic, decoded with the Schema Registry, one JSON line each')
    .argument('<topic>', 'catalogued topic name, e.g. provision.command.issued.v1 (see warmcast topics)')
    .option('--from-beginning', 'start at the oldest retained message instead of the end', false)
    .option('--max <n>', 'exit after n messages', maxFlag)
    .option('--format <format>', 'json (one line per message) or pretty (indented)', formatFlag, 'json');
  addConnectionFlags(cmd, true).action(async (topic: string, flags: TailFlags) => {
    if (!isCataloguedTopic(topic)) {
      process.stderr.write(`warmcast tail: unknown topic ${JSON.stringify(topic)}; catalogued topics:\n${catalogue.map((t) => `  ${t.name}`).join('\n')}\n`);
      process.exitCode = 2;
      return;
    }
    try {
      await tail(topic, flags);
    } catch (err) {
      fail('tail', err);
    }
  });
}

async function tail(topic: string & Parameters<typeof topicSpec>[0], flags: TailFlags): Promise<void> {
  const { brokers, registryUrl } = resolveConnection(flags);
  const codec = new ValueCodec<unknown>(createRegistryClient(registryUrl), topic, topicSpec(topic).schemaText);
  const consumer = kafkaClient(brokers, 'warmcast-tail').consumer({
    groupId: `warmcast-tail-${process.pid}-${Date.now().toString(36)}`,
    allowAutoTopicCreation: false,
  });
  let printed = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  process.once('SIGINT', () => finish());
  process.once('SIGTERM', () => finish());
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: flags.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (flags.max !== undefined && printed >= flags.max) return;
        const decoded = await codec.decode(message.value);
        const line = {
          topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null,
          timestamp: new Date(Number(message.timestamp)).toISOString(),
          ...(decoded.ok ? { value: decoded.value } : { error: `${decoded.code}: ${decoded.text}` }),
        };
        process.stdout.write(JSON.stringify(line, replacer, flags.format === 'pretty' ? 2 : undefined) + '\n');
        printed++;
        if (flags.max !== undefined && printed >= flags.max) finish();
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
}
