/**
 * `warmcast up` (`npm start`): the whole mission on one machine. Starts the embedded broker,
 * registry and chDB, every service, and replays the bundled trace as traffic; prints a live
 * summary and how to look inside (kcat, `warmcast tail`, `warmcast sql`). `--duration` bounds a
 * run; Ctrl-C (SIGINT) or SIGTERM stops everything in reverse order with nothing lost.
 * The last line on stdout is the final summary as JSON (tests and scripts read it).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { StackOptionError, startStack, type RunningStack } from '@warmcast/stack';

interface UpFlags {
  data: string;
  host: string;
  brokerPort: number;
  registryPort: number;
  clickhousePort: number;
  trace?: string;
  speed: number;
  fromMinute: number;
  minutes?: number;
  duration?: number;
  predict: boolean;
  partitions: number;
  summaryEvery: number;
  logLevel: string;
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a non-negative integer`);
  return Number(value);
}

function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a number > 0`);
  return n;
}

function howToLook(stack: RunningStack): string {
  const b = stack.brokers;
  return [
    `warmcast is up: broker ${b}, registry ${stack.registryUrl}, ClickHouse HTTP ${stack.clickhouseUrl}`,
    `  tail commands:  kcat -b ${b} -C -t provision.command.issued.v1 -o beginning -q   (Avro bytes)`,
    `                  npx warmcast tail provision.command.issued.v1 --brokers ${b} --registry ${stack.registryUrl}`,
    `  query:          npx warmcast sql "SELECT kind, count() FROM commands GROUP BY kind" --data ${stack.options.dataDir}`,
    '  stop:           Ctrl-C',
  ].join('\n');
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole pipeline on embedded Kafka, Schema Registry and chDB, with the bundled trace as traffic')
    .option('--data <dir>', 'data directory (kafka/, registry/, warehouse/)', './data')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--broker-port <port>', 'Kafka port (0 = any free port)', integer, 9092)
    .option('--registry-port <port>', 'Schema Registry port (0 = any free port)', integer, 8081)
    .option('--clickhouse-port <port>', 'ClickHouse-compatible HTTP port in front of chDB (0 = any free port)', integer, 8123)
    .option('--trace <dir>', 'trace directory (Azure Functions 2019 layouts); default the bundled sample')
    .option('--speed <n>', 'trace minutes per wall minute (60 = one trace minute per second)', positive, 60)
    .option('--from-minute <m>', 'first trace minute to replay', integer, 0)
    .option('--minutes <n>', 'trace minutes to replay (default: to the end)', integer)
    .option('--duration <s>', 'stop after this many wall seconds', positive)
    .option('--no-predict', 'run the scaler in mode off: the simulator alone (the baseline without prediction)')
    .option('--partitions <n>', 'partitions per topic', integer, 3)
    .option('--summary-every <ms>', 'wall ms between summary lines (0 = none)', integer, 5000)
    .option('--log-level <level>', 'service log level', 'warn')
    .action(async (flags: UpFlags) => {
      const logger = pino({ level: flags.logLevel === 'silent' ? 'silent' : 'info', base: { name: 'warmcast-up' } });
      let stack: RunningStack;
      try {
        stack = await startStack({
          dataDir: flags.data, host: flags.host, brokerPort: flags.brokerPort, registryPort: flags.registryPort, clickhousePort: flags.clickhousePort,
          traceDir: flags.trace ?? null, speed: flags.speed, fromMinute: flags.fromMinute, minutes: flags.minutes ?? null,
          durationS: flags.duration ?? null, predict: flags.predict, partitions: flags.partitions, summaryEveryMs: flags.summaryEvery, logLevel: flags.logLevel,
        }, { logger: logger.child({}, { level: flags.logLevel }), onSummary: (line) => process.stdout.write(`${line}\n`) });
      } catch (err) {
        const userError = err instanceof StackOptionError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /Cannot lock file/.test(String((err as Error).message));
        if (userError) {
          logger.error({ err: { message: (err as Error).message } }, 'cannot start warmcast');
          process.exit(2);
        }
        throw err;
      }
      process.stdout.write(`${howToLook(stack)}\n`);
      process.stdout.write(`${JSON.stringify({ ready: true, brokers: stack.brokers, registryUrl: stack.registryUrl, clickhouseUrl: stack.clickhouseUrl, predict: flags.predict })}\n`);
      let stopping = false;
      const stop = (why: string): void => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`stopping (${why})...\n`);
        const final = stack.summary();
        stack.close().then(
          () => {
            process.stdout.write(`${JSON.stringify({ final: stack.summary(), atStop: final })}\n`);
            process.exit(0);
          },
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      if (flags.duration !== undefined) setTimeout(() => stop(`--duration ${flags.duration} s`), flags.duration * 1000).unref();
    });
}
