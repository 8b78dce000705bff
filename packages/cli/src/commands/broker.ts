/**
 * `warmcast broker`: runs the embedded Kafka-protocol broker in the foreground.
 * Logs one line when listening (host:port, data dir); SIGTERM/SIGINT stop accepting, let
 * in-flight requests finish (up to 5 s), flush and close storage, and exit 0.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { BrokerConfigError, startBroker, type BrokerConfig, type FsyncPolicy } from '@warmcast/broker';
import { runInForeground } from '../foreground.ts';

interface BrokerFlags {
  port: number;
  data: string;
  host: string;
  advertisedHost?: string;
  partitions: number;
  fsync?: FsyncPolicy;
  retentionMs?: number;
  autoCreate: boolean;
  nodeId: number;
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${JSON.stringify(value)} is not an integer`);
  return Number(value);
}

function fsyncPolicy(value: string): FsyncPolicy {
  if (value !== 'always' && value !== 'interval' && value !== 'os') throw new InvalidArgumentError('must be always, interval or os');
  return value;
}

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('run the embedded single-node Kafka-protocol broker (kafkajs and librdkafka/kcat speak to it)')
    .option('--port <port>', 'TCP port (0 = any free port)', integer, 9092)
    .requiredOption('--data <dir>', 'data directory (topics, logs, committed offsets)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--advertised-host <host>', 'host returned to clients in Metadata (default: --host)')
    .option('--partitions <n>', 'partitions of auto-created topics', integer, 1)
    .option('--fsync <policy>', 'always | interval | os', fsyncPolicy)
    .option('--retention-ms <ms>', 'delete closed segments older than this (-1 = forever)', integer)
    .option('--no-auto-create', 'do not create unknown topics on Metadata requests')
    .option('--node-id <id>', 'broker node id', integer, 1)
    .action(async (flags: BrokerFlags) => {
      const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
      const options: BrokerConfig = {
        port: flags.port, host: flags.host, dataDir: flags.data, nodeId: flags.nodeId,
        defaultPartitions: flags.partitions, autoCreateTopics: flags.autoCreate, logger,
      };
      if (flags.advertisedHost !== undefined) options.advertisedHost = flags.advertisedHost;
      if (flags.fsync !== undefined) options.fsync = flags.fsync;
      if (flags.retentionMs !== undefined) options.retentionMs = flags.retentionMs;
      await runInForeground({
        logger,
        start: () => startBroker(options),
        startFailedMessage: 'cannot start the broker',
        // A bad option or a port in use is the user's to fix: one line, no stack, exit 2.
        isUserError: (err) => err instanceof BrokerConfigError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE',
      });
    });
}
