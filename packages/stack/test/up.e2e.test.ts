// End to end: `npx warmcast up --duration ...` as a child process, on the bundled sample.
// While it runs: provisioning commands are on the command topic (read raw with Debian's kcat)
// and pool status flows back. After it stops: rows for events, forecasts, demand, commands and
// pool status are in ClickHouse (chDB, opened through @clickhouse/client once the stack has
// released the directory). The same traffic with prediction switched off (`--no-predict`, the
// scaler in mode off: the simulator's reactive keep-alive alone) has more cold starts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tables, openWarehouse } from '@warmcast/warehouse';

const BIN = fileURLToPath(new URL('../../cli/bin/warmcast.js', import.meta.url));
const hasKcat = spawnSync('kcat', ['-V']).status === 0;

interface RunResult {
  readonly ready: { brokers: string; registryUrl: string; clickhouseUrl: string };
  readonly final: { coldStarts: number; requestsServed: number; coldStartPct: number; baselineColdStartPct: number; commands: number; forecasts: number };
  readonly commandsSeenByKcat: number;
  readonly statusSeenByKcat: number;
  readonly stdout: string[];
}

/** Counts messages of a topic with kcat (-e: exit at the end of the partitions). */
function kcatCount(brokers: string, topic: string): number {
  const r = spawnSync('kcat', ['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p:%o:%S\n'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return 0;
  return r.stdout.split('\n').filter((l) => /^\d+:\d+:\d+$/.test(l)).length;
}

// 40 trace minutes (10:00-10:40 of the day sample) at 120x: 20 s of traffic, then the pipeline
// drains for the rest of the --duration. One partition per topic: the simulator then sees the
// requests in one deterministic order, so its counts do not depend on how two partitions'
// fetches interleave.
const TRAFFIC = ['--from-minute', '600', '--minutes', '40', '--speed', '120', '--duration', '40'];

async function runUp(dataDir: string, extra: readonly string[], whileRunning: (ready: RunResult['ready']) => Promise<{ commands: number; status: number }>): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, 'up', '--data', dataDir, '--broker-port', '0', '--registry-port', '0', '--clickhouse-port', '0',
    '--partitions', '1', '--summary-every', '0', '--log-level', 'warn', ...TRAFFIC, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  let ready: RunResult['ready'] | undefined;
  let final: RunResult['final'] | undefined;
  let seen = { commands: 0, status: 0 };
  let during: Promise<void> = Promise.resolve();
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    stdout.push(line);
    if (!line.startsWith('{')) return;
    const j = JSON.parse(line) as { ready?: boolean; final?: RunResult['final'] } & RunResult['ready'];
    if (j.ready === true) {
      ready = { brokers: j.brokers, registryUrl: j.registryUrl, clickhouseUrl: j.clickhouseUrl };
      during = whileRunning(ready).then((s) => { seen = s; });
    }
    if (j.final !== undefined) final = j.final;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  await during;
  if (code !== 0 || ready === undefined || final === undefined) {
    throw new Error(`warmcast up exited ${code}\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('').slice(-4000)}`);
  }
  return { ready, final, commandsSeenByKcat: seen.commands, statusSeenByKcat: seen.status, stdout };
}

describe('warmcast up (end to end)', () => {
  let dir: string;
  let predicted: RunResult;
  let baseline: RunResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warmcast-up-'));
    predicted = await runUp(join(dir, 'predict'), [], async (ready) => {
      // Poll the command topic with kcat while the stack runs (it is gone once `up` exits).
      let commands = 0;
      let status = 0;
      for (let i = 0; i < 60 && (commands === 0 || status === 0); i++) {
        await new Promise((r) => setTimeout(r, 500));
        if (!hasKcat) break;
        commands = kcatCount(ready.brokers, 'provision.command.issued.v1');
        status = kcatCount(ready.brokers, 'pool.status.reported.v1');
      }
      return { commands, status };
    });
    baseline = await runUp(join(dir, 'baseline'), ['--no-predict'], async () => ({ commands: 0, status: 0 }));
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.runIf(hasKcat)('puts commands on the command topic, readable by kcat, and pool status flows back', () => {
    expect(predicted.commandsSeenByKcat).toBeGreaterThan(0);
    expect(predicted.statusSeenByKcat).toBeGreaterThan(0);
  });

  it('stores events, forecasts, accuracy, demand, commands and pool status in ClickHouse, and dead-letters nothing', async () => {
    const wh = await openWarehouse({ dataDir: join(dir, 'predict', 'warehouse'), migrate: false });
    try {
      const count = async (table: string): Promise<number> => {
        const rows = await wh.query<{ n: string | number }>(`SELECT count() AS n FROM ${table}`);
        return Number(rows[0]?.n ?? 0);
      };
      const counts = {
        rawRequests: await count(Tables.rawRequests),
        normalized: await count(Tables.normalizedEvents),
        forecasts: await count(Tables.forecasts),
        demand: await count(Tables.demand),
        commands: await count(Tables.commands),
        poolStatus: await count(Tables.poolStatus),
        // Forecasts scored against what then happened (the 5-minute horizon closes well inside 40 trace minutes).
        accuracy: await count(Tables.forecastAccuracy),
      };
      for (const [table, n] of Object.entries(counts)) expect(n, `${table} rows`).toBeGreaterThan(0);
      // The trace's events are all valid: nothing was dead-lettered anywhere in the pipeline.
      expect(await count(Tables.deadLetters)).toBe(0);
      // "Why was this VM launched" is one query: every LAUNCH carries its rule and reason text.
      const why = await wh.query<{ rule: string; text: string }>(`SELECT reason_rule AS rule, reason_text AS text FROM ${Tables.commands} WHERE kind = {kind:String} LIMIT 1`, { kind: 'LAUNCH' });
      expect(why[0]?.rule).toMatch(/\w/);
    } finally {
      await wh.close();
    }
  });

  it('has fewer cold starts with prediction than without, on the same traffic', () => {
    const f = (r: RunResult): string => `${r.final.coldStartPct.toFixed(2)} % cold of ${r.final.requestsServed}`;
    console.log(`up e2e: prediction ${f(predicted)} (its shadow fleet ${predicted.final.baselineColdStartPct.toFixed(2)} %), --no-predict ${f(baseline)}, ${predicted.final.commands} commands`);
    expect(predicted.final.requestsServed).toBeGreaterThan(0);
    // Same traffic: the simulator saw the same requests in both runs.
    expect(baseline.final.requestsServed).toBe(predicted.final.requestsServed);
    expect(baseline.final.commands).toBe(0);
    expect(predicted.final.coldStartPct).toBeLessThan(baseline.final.coldStartPct);
    // The simulator also replays every request through a shadow pool that gets no commands.
    expect(predicted.final.coldStartPct).toBeLessThan(predicted.final.baselineColdStartPct);
  });
});
