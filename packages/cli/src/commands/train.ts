/**
 * `warmcast train [--data DIR] [--through MINUTE|ISO] [--minutes N] [--effective-from MINUTE|ISO|+N]
 * [--version N] [--hour-of-day] [--dry-run] [--out FILE] [--brokers ...] [--registry URL]`: the trainer of the
 * global learned combiner. Reads per-user per-minute request counts from the warehouse roll-ups
 * (user_minute_requests with uniqExactMerge, so a re-delivered request counts once; durations from
 * user_minute_usage for the instances r = max(1, ceil(n d / 60))), fits the combiner with
 * @warmcast/forecast's trainCombiner (the replay's GlobalCombiner / CombinedModel code) and
 * publishes the version to forecast.model.published.v1 (key combiner/<version>), where the
 * profilers pick it up and apply it from --effective-from on. Bound parameters only.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { trainCombiner } from '@warmcast/forecast';
import type { CombinerVersion, UserMinuteSeries } from '@warmcast/forecast';
import { Topics, TypedProducer, createRegistryClient, registerSchemas, topicSpec } from '@warmcast/kit';
import type { ForecastModelInput } from '@warmcast/kit';
import { Tables, isWarehouseError, openDataDirWarehouse } from '@warmcast/warehouse';
import type { Warehouse } from '@warmcast/warehouse';
import { addConnectionFlags, createCatalogueTopics, fail, kafkaClient, resolveConnection } from './topics.ts';
import type { ConnectionFlags } from './topics.ts';

interface TrainFlags extends ConnectionFlags {
  data: string;
  through?: number;
  minutes: number;
  effectiveFrom?: string;
  version?: number;
  hourOfDay: boolean;
  dryRun: boolean;
  out?: string;
}

/** One roll-up row: user, epoch minute, requests, executions and duration sum (ms) of that minute's metrics. */
export interface RollupRow {
  readonly user_key: string;
  readonly m: number;
  readonly n: number;
  readonly e: number;
  readonly dur: number;
}

/** A minute given as an epoch minute or an ISO 8601 time (floored to its minute). */
export function minuteFlag(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`${JSON.stringify(value)} must be an epoch minute (e.g. 29463839) or an ISO 8601 time (e.g. 2026-01-05T12:00:00Z)`);
  return Math.floor(ms / 60_000);
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${JSON.stringify(value)} must be a whole number >= 1`);
  return Number(value);
}

/** --effective-from: a minute, or +N minutes after --through. */
export function effectiveFrom(value: string | undefined, through: number): number {
  if (value === undefined) return through + 1;
  if (/^\+\d+$/.test(value)) return through + Number(value.slice(1));
  const m = minuteFlag(value);
  if (m <= through) throw new InvalidArgumentError(`--effective-from ${value} (minute ${m}) must be after --through (minute ${through}): a version cannot apply to minutes it was trained on`);
  return m;
}

/**
 * Roll-up rows (any order) -> one series per user (sorted by key), minutes ascending. d = the
 * minute's mean duration in seconds; a minute without metrics (they land in the minute the
 * execution finished) uses the user's mean over the window; at least 0.001 s (DESIGN.md).
 * Example: 3 requests, 50 s mean -> ceil(150 / 60) = 3 instances; 1 request, 0.2 s -> 1.
 */
export function seriesFromRollups(rows: readonly RollupRow[]): { keys: string[]; series: UserMinuteSeries[] } {
  const byUser = new Map<string, RollupRow[]>();
  for (const r of rows) {
    const list = byUser.get(r.user_key) ?? [];
    list.push(r);
    byUser.set(r.user_key, list);
  }
  const keys = [...byUser.keys()].sort();
  const series = keys.map((k) => {
    const list = (byUser.get(k) ?? []).filter((r) => r.n > 0).sort((a, b) => a.m - b.m);
    const e = list.reduce((s, r) => s + r.e, 0);
    const userMean = e > 0 ? list.reduce((s, r) => s + r.dur, 0) / e / 1000 : 0.001;
    return {
      minutes: list.map((r) => r.m),
      counts: list.map((r) => r.n),
      instances: list.map((r) => Math.max(1, Math.ceil((r.n * Math.max(0.001, r.e > 0 ? r.dur / r.e / 1000 : userMean)) / 60))),
    };
  });
  return { keys, series };
}

/** Per-user per-minute requests in [from, through] joined with that minute's usage (bound parameters only). */
export async function readRollups(wh: Warehouse, from: number, through: number): Promise<RollupRow[]> {
  const window = 'minute >= toDateTime({from:UInt32}, \'UTC\') AND minute <= toDateTime({through:UInt32}, \'UTC\')';
  return wh.query<RollupRow>(`
    SELECT r.user_key AS user_key, toUInt32(intDiv(toUnixTimestamp(r.minute), 60)) AS m, r.n AS n, u.e AS e, u.dur AS dur
    FROM (SELECT user_key, minute, toUInt32(uniqExactMerge(requests)) AS n FROM ${Tables.userMinuteRequests} WHERE ${window} GROUP BY user_key, minute) AS r
    LEFT JOIN (SELECT user_key, minute, toUInt32(uniqExactMerge(executions)) AS e, sum(duration_ms_sum) AS dur FROM ${Tables.userMinuteUsage} WHERE ${window} GROUP BY user_key, minute) AS u
    ON r.user_key = u.user_key AND r.minute = u.minute
    ORDER BY user_key, m`, { from: from * 60, through: through * 60 });
}

/** The last minute in the request roll-up (undefined when empty). */
export async function lastRollupMinute(wh: Warehouse): Promise<number | undefined> {
  const [r] = await wh.query<{ m: number; n: number }>(`SELECT toUInt32(intDiv(toUnixTimestamp(max(minute)), 60)) AS m, count() AS n FROM ${Tables.userMinuteRequests}`);
  return r && r.n > 0 ? r.m : undefined;
}

export function modelRecord(v: CombinerVersion, trainedAt: number): ForecastModelInput {
  const modelKey = `combiner/${v.version}`;
  return {
    modelKey, kind: 'combiner', version: v.version, trainedThroughMinute: v.trainedThroughMinute, effectiveFromMinute: v.effectiveFromMinute,
    featureNames: [...v.featureNames], coefficientsByBand: v.coefficientsByBand.map((r) => [...r]), rowsByBand: [...v.rowsByBand],
    hourOfDay: v.hourOfDay, bands: v.bands, l2: v.l2, prior: v.prior, users: v.users, payload: Buffer.alloc(0), trainedAt,
  };
}

export function registerTrainCommand(program: Command): void {
  const cmd = program
    .command('train')
    .description('fit the global learned combiner on the warehouse roll-ups and publish it for the profilers')
    .option('--data <dir>', 'the stack\'s data directory (the warehouse is DIR/warehouse; CLICKHOUSE_URL for a server)', './data')
    .option('--through <minute|time>', 'last minute of training data (default: the last minute in the roll-up minus 1, which may still be filling)', minuteFlag)
    .option('--minutes <n>', 'training window length, minutes (default 2880: the profiler\'s kept history with its default generation of 1440)', positiveInt, 2880)
    .option('--effective-from <minute|time|+n>', 'first minute the profilers use it (default through + 1)')
    .option('--version <n>', 'version number (default: the through minute)', positiveInt)
    .option('--hour-of-day', 'add hour-of-day features (off by default, as in the replay)', false)
    .option('--dry-run', 'fit and print, do not publish', false)
    .option('--out <file>', 'also write the version as JSON (for `npm run bench:profiler -- --model=FILE`)');
  addConnectionFlags(cmd, true).action(async (flags: TrainFlags) => {
    try {
      await train(flags);
    } catch (err) {
      if (err instanceof InvalidArgumentError) {
        process.stderr.write(`warmcast train: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (isWarehouseError(err)) {
        process.stderr.write(`warmcast train: ${err.code}: ${err.message}\n`);
        process.exitCode = err.retriable ? 1 : 2;
        return;
      }
      fail('train', err);
    }
  });
}

async function train(flags: TrainFlags): Promise<void> {
  const t0 = performance.now();
  const { warehouse } = await openDataDirWarehouse({ dataDir: flags.data });
  let rows: RollupRow[];
  let through: number;
  try {
    const last = flags.through ?? ((await lastRollupMinute(warehouse)) ?? NaN) - 1;
    if (!Number.isFinite(last)) throw new InvalidArgumentError(`${Tables.userMinuteRequests} is empty: nothing to train on (run the stack, or warmcast publish, first)`);
    through = last;
    rows = await readRollups(warehouse, through - flags.minutes + 1, through);
  } finally {
    await warehouse.close();
  }
  const { series } = seriesFromRollups(rows);
  if (series.length === 0) throw new InvalidArgumentError(`no requests in minutes ${through - flags.minutes + 1}..${through} of ${Tables.userMinuteRequests}`);
  const t1 = performance.now();
  const trained = trainCombiner({
    series, fromMinute: through - flags.minutes + 1, throughMinute: through, effectiveFromMinute: effectiveFrom(flags.effectiveFrom, through),
    hourOfDay: flags.hourOfDay, ...(flags.version !== undefined ? { version: flags.version } : {}),
  });
  const v = trained.model;
  const fitS = (performance.now() - t1) / 1000;
  const out = [
    `combiner version ${v.version}: trained on minutes ${through - flags.minutes + 1}..${through} (${new Date((through + 1) * 60_000).toISOString()} end), ${v.users} users, ${trained.observations} user-minutes, ${trained.fits} fits in ${fitS.toFixed(1)} s; effective from minute ${v.effectiveFromMinute} (${new Date(v.effectiveFromMinute * 60_000).toISOString()})`,
    ...v.coefficientsByBand.map((row, b) => `  band ${b} (${v.rowsByBand[b] ?? 0} rows): ${row.length === 0 ? 'not fitted (the hazard answers)' : row.map((c, j) => `${v.featureNames[j]} ${c.toFixed(3)}`).join(', ')}`),
  ];
  if (flags.out !== undefined) {
    writeFileSync(flags.out, `${JSON.stringify(v, null, 1)}\n`);
    out.push(`wrote ${flags.out}`);
  }
  if (!flags.dryRun) {
    const { brokers, registryUrl } = resolveConnection(flags);
    const kafka = kafkaClient(brokers, 'warmcast-train');
    const topics = [topicSpec(Topics.forecastModelPublished)];
    await createCatalogueTopics(kafka, topics);
    const registry = createRegistryClient(registryUrl);
    await registerSchemas(registry, topics);
    const producer = new TypedProducer({ producer: kafka.producer({ allowAutoTopicCreation: false }), registry });
    await producer.start();
    try {
      const value = modelRecord(v, Date.now());
      await producer.send(Topics.forecastModelPublished, [{ key: value.modelKey, value }]);
    } finally {
      await producer.close();
    }
    out.push(`published ${Topics.forecastModelPublished} key combiner/${v.version} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else out.push('dry run: not published');
  process.stdout.write(`${out.join('\n')}\n`);
}
