/**
 * `warmcast publish [--trace DIR] [--speed 60] [--limit N] [--start ISO|now] [--no-metrics]`:
 * turns a trace (either layout; default the bundled sample) into execution request and metrics
 * events and publishes them paced in event time: one trace minute per 60/speed seconds (speed
 * 0 = as fast as possible). Creates the two topics if missing and registers their schemas,
 * prints a progress line on stderr, a summary on stdout, and exits 0 when done. Ctrl-C stops
 * after the batch in flight and still prints the summary.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { TraceError } from '@warmcast/forecast';
import { Topics, TypedProducer, createRegistryClient, registerSchemas, topicSpec } from '@warmcast/kit';
import { SAMPLE_TRACE_DIR, loadTrafficTrace, publishTrace, type PublishProgress } from '@warmcast/traffic';
import { addConnectionFlags, createCatalogueTopics, fail, kafkaClient, resolveConnection, type ConnectionFlags } from './topics.ts';

interface PublishFlags extends ConnectionFlags {
  trace?: string;
  speed: number;
  limit?: number;
  start: string;
  metrics: boolean;
}

function speedFlag(value: string): number {
  if (value === 'max' || value === 'inf' || value === 'Infinity') return Infinity;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError('must be a number >= 0 (trace minutes per wall minute; 0 or max = as fast as possible)');
  return v === 0 ? Infinity : v;
}

function limitFlag(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of trace minutes >= 0');
  return Number(value);
}

function startFlag(value: string): string {
  if (value !== 'now' && !Number.isFinite(Date.parse(value))) throw new InvalidArgumentError('must be "now" or an ISO 8601 time, e.g. 2026-01-05T00:00:00Z');
  return value;
}

function progressLine(p: PublishProgress, t0: number, tty: boolean): void {
  const done = p.minute + 1;
  if (!tty && done % 60 !== 0 && done !== p.minutes) return; // logs: one line per trace hour and the last
  // past the last minute only metrics of long runs remain
  const where = done > p.minutes ? 'draining metrics' : `minute ${String(done).padStart(4)}/${p.minutes}`;
  const line = `${where}  ${new Date(p.eventTime).toISOString()}  requests ${p.requests}  metrics ${p.metrics}  ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  process.stderr.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
}

export function registerPublishCommand(program: Command): void {
  const cmd = program
    .command('publish')
    .description('publish a function trace as execution request and metrics events, paced in event time')
    .option('--trace <dir>', 'trace directory, either layout (default: the bundled sample samples/azure-functions-2019-mini)')
    .option('--speed <x>', 'trace minutes per wall minute: 1 = real time, 60 = an hour per minute; 0 or max = as fast as possible', speedFlag, 60)
    .option('--limit <minutes>', 'publish only the first N trace minutes', limitFlag)
    .option('--start <time>', 'wall time of trace minute 0: "now" or ISO 8601', startFlag, 'now')
    .option('--no-metrics', 'publish requests only (the simulator reports metrics in the full stack)');
  addConnectionFlags(cmd, true).action(async (flags: PublishFlags) => {
    try {
      await publish(flags);
    } catch (err) {
      if (err instanceof TraceError) {
        process.stderr.write(`warmcast publish: --trace ${JSON.stringify(flags.trace ?? SAMPLE_TRACE_DIR)}: ${err.code}: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      fail('publish', err);
    }
  });
}

async function publish(flags: PublishFlags): Promise<void> {
  const trace = loadTrafficTrace(flags.trace ?? SAMPLE_TRACE_DIR);
  const { brokers, registryUrl } = resolveConnection(flags);
  const kafka = kafkaClient(brokers, 'warmcast-publish');
  const topics = [topicSpec(Topics.execRequestReceived), topicSpec(Topics.execMetricsReported)];
  await createCatalogueTopics(kafka, topics);
  const registry = createRegistryClient(registryUrl);
  await registerSchemas(registry, topics);
  const producer = new TypedProducer({ producer: kafka.producer({ allowAutoTopicCreation: false }), registry });
  await producer.start();
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  try {
    const res = await publishTrace({
      producer, trace, speed: flags.speed, metrics: flags.metrics, signal: ac.signal,
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      ...(flags.start !== 'now' ? { startEpochMs: Date.parse(flags.start) } : {}),
      onProgress: (p) => progressLine(p, t0, tty),
    });
    if (tty) process.stderr.write('\n');
    const span = res.firstEventTime === null ? 'nothing' : `${new Date(res.firstEventTime).toISOString()} .. ${new Date(res.lastEventTime ?? res.firstEventTime).toISOString()}`;
    process.stdout.write(
      `${res.aborted ? 'stopped early: ' : ''}published ${res.requests} requests to ${Topics.execRequestReceived} and ${res.metrics} metrics to ${Topics.execMetricsReported} ` +
        `(${res.minutes} trace minutes of ${trace.trace.functions.length} functions, event time ${span}) in ${(res.wallMs / 1000).toFixed(1)} s, ${res.batches} batches\n`,
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await producer.close();
  }
}
