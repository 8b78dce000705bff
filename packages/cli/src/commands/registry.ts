/**
 * `warmcast registry`: the embedded Confluent-compatible Schema Registry (AVRO), in the
 * foreground. Logs one line when listening; SIGTERM/SIGINT stop accepting, finish the
 * changes in flight (each is already fsync'd before its reply), close the journal, exit 0.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { pino } from 'pino';
import { RegistryConfigError, startRegistry } from '@warmcast/registry';
import { runInForeground } from '../foreground.ts';

interface RegistryFlags {
  port: number;
  data: string;
  host: string;
}

function port(value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a port (0..65535, 0 = any free port)`);
  return n;
}

export function registerRegistryCommand(program: Command): void {
  program
    .command('registry')
    .description('run the embedded Confluent-compatible Schema Registry (AVRO; @confluentinc/schemaregistry talks to it)')
    .option('--port <port>', 'TCP port (0 = any free port)', port, 8081)
    .option('--data <dir>', 'data directory (append-only journal)', './data/registry')
    .option('--host <host>', 'address to listen on (no auth: keep it on loopback)', '127.0.0.1')
    .action(async (flags: RegistryFlags) => {
      const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
      await runInForeground({
        logger,
        start: () => startRegistry({ port: flags.port, host: flags.host, dataDir: flags.data, logger }),
        startFailedMessage: 'schema registry cannot start',
        // A bad option or a busy port is the user's to fix: one line, exit 2 (as `warmcast broker`).
        isUserError: (err) => err instanceof RegistryConfigError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE',
      });
    });
}
