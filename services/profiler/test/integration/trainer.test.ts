// The trainer end to end: request and metrics rows in the warehouse (chDB in a temp dir, written
// through `warmcast sql`, the requests twice as an at-least-once re-delivery), `warmcast train`
// reads the per-minute roll-ups and publishes to the real embedded broker and registry; the
// published version equals trainCombiner on the series computed here from the same generator,
// and a profiler serving it reports it applied. Children run with async execFile: the broker
// lives in this process, so a synchronous spawn would block it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import { trainCombiner } from '@warmcast/forecast';
import type { UserMinuteSeries } from '@warmcast/forecast';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';
import { pino } from 'pino';
import { combinerOf } from '../../src/shell/model-feed.ts';
import { createProfilerService } from '../../src/index.ts';
import { START } from '../fixtures/events.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../../packages/cli/bin/warmcast.js', import.meta.url));
const USERS = 12;
const MINUTES = 240;
const T0 = START / 1000; // seconds
const M0 = START / 60_000;
/** requests of user u in minute m: timers of period 3..7 (u < 8) or 25..28 (rare users), 2 requests every third minute */
const period = (u: number): number => (u < 8 ? 3 + (u % 5) : 17 + u);
const requests = (u: number, m: number): number => ((m + u) % period(u) === 0 ? 1 + (m % 3 === 0 ? 1 : 0) : 0);
/** the same generator in SQL (bound parameter t0 only) */
const SOURCE = `FROM (SELECT number % ${USERS} AS u, intDiv(number, ${USERS}) AS m FROM numbers(${USERS * MINUTES}))
  ARRAY JOIN range(if((m + u) % if(u < 8, 3 + u % 5, 17 + u) = 0, 1 + (m % 3 = 0), 0)) AS i`;
const INSERT_REQUESTS = `INSERT INTO raw_requests (request_id, user_key, function_id, runtime, size_class, language, code_ref, tier, priority, event_time, produced_at, ingested_at)
  SELECT concat('r-', toString(u), '-', toString(m), '-', toString(i)), concat('user-', leftPad(toString(u), 2, '0')), 'f', 'python3.12', 'S', 'PYTHON', 'ref', 'FREE', 0,
    toDateTime64({t0:UInt32} + m * 60 + 7 + i, 3, 'UTC') AS t, t, t ${SOURCE}`;
// 40 s per execution, finishing in the same minute: 2 requests -> ceil(80 / 60) = 2 instances
const INSERT_METRICS = `INSERT INTO raw_metrics (request_id, user_key, function_id, duration_ms, cpu_ms, cpu_cores, memory_peak_mb, io_read_bytes, io_write_bytes, net_in_bytes, net_out_bytes, start, start_latency_ms, finished_at, produced_at, ingested_at)
  SELECT concat('r-', toString(u), '-', toString(m), '-', toString(i)), concat('user-', leftPad(toString(u), 2, '0')), 'f', 40000, 1000, 1, 128, 0, 0, 0, 0, 'WARM', 5,
    toDateTime64({t0:UInt32} + m * 60 + 9 + i, 3, 'UTC') AS t, t, t ${SOURCE}`;

let stack: Stack | undefined;
let dir: string | undefined;
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function warmcast(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { timeout: 180_000, env: { ...process.env, WARMCAST_KAFKA_BROKERS: '', WARMCAST_REGISTRY_URL: '', CLICKHOUSE_URL: '' } });
  return stdout;
}

describe('warmcast train', () => {
  it('reads the chDB roll-ups, fits the combiner and publishes the version the profiler then applies', async () => {
    stack = await startStack(1);
    dir = await mkdtemp(join(tmpdir(), 'warmcast-train-'));
    await warmcast('sql', INSERT_REQUESTS, '--data', dir, '--param', `t0=${T0}`);
    await warmcast('sql', INSERT_REQUESTS, '--data', dir, '--param', `t0=${T0}`); // re-delivered: counted once by uniqExactMerge
    await warmcast('sql', INSERT_METRICS, '--data', dir, '--param', `t0=${T0}`);
    const through = M0 + MINUTES - 1;
    const out = await warmcast('train', '--data', dir, '--through', String(through), '--minutes', String(MINUTES), '--effective-from', '+5',
      '--brokers', stack.brokers.join(','), '--registry', stack.registryUrl);
    expect(out).toMatch(new RegExp(`combiner version ${through}: trained on minutes ${M0}..${through} .* ${USERS} users`));
    expect(out).toContain(`published ${Topics.forecastModelPublished} key combiner/${through}`);

    const records = await stack.readAll(Topics.forecastModelPublished, 1);
    expect(records).toHaveLength(1);
    const got = combinerOf(records[0] as (typeof records)[number]);
    const series: UserMinuteSeries[] = Array.from({ length: USERS }, (_, u) => {
      const minutes: number[] = [];
      const counts: number[] = [];
      for (let m = 0; m < MINUTES; m++) if (requests(u, m) > 0) { minutes.push(M0 + m); counts.push(requests(u, m)); }
      return { minutes, counts, instances: counts.map((n) => Math.max(1, Math.ceil((n * 40) / 60))) };
    });
    const want = trainCombiner({ series, fromMinute: M0, throughMinute: through, effectiveFromMinute: through + 5 }).model;
    expect(got).toEqual(want);
    expect(want.coefficientsByBand.filter((r) => r.length > 0).length).toBeGreaterThan(0); // fitted, not all hazard
    expect(records[0]).toMatchObject({ modelKey: `combiner/${through}`, kind: 'combiner', payload: Buffer.alloc(0) });

    // a profiler started now reads it before consuming anything
    const profiler = createProfilerService({ config: stack.config('trainer-test-profiler', 'trainer-test-profiler'), logger: pino({ level: 'silent' }) });
    await profiler.start();
    try {
      expect(profiler.stats()).toMatchObject({ modelVersions: 1, modelsUnreadable: 0 });
    } finally {
      await profiler.close();
    }
  }, 300_000);
});
