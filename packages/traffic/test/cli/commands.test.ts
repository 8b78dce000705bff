// `warmcast topics`, `publish` and `tail` as child processes (node packages/cli/bin/warmcast.js)
// against an embedded broker and registry started here; kcat, when installed, must see the
// published requests too. Children run with async execFile: the broker lives in this process,
// so a synchronous spawn would block it.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '@warmcast/kit';
import { loadTrace } from '@warmcast/forecast';
import { SAMPLE_TRACE_DIR } from '../../src/sample.ts';
import { startStack, type Stack } from '../integration/stack.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../cli/bin/warmcast.js', import.meta.url));
const MINUTES = 3;
let stack: Stack;

async function warmcast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 150_000, env: { ...process.env, WARMCAST_KAFKA_BROKERS: '', WARMCAST_REGISTRY_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function hasKcat(): Promise<boolean> {
  try {
    await run('kcat', ['-V']);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  stack = await startStack({ topics: false });
});

afterAll(async () => {
  await stack?.stop();
});

// Each child compiles the CLI through tsx (~5-15 s on 2 shared cores): generous per-test limits.
describe('warmcast topics, publish, tail', { timeout: 180_000 }, () => {
  const expected = loadTrace(SAMPLE_TRACE_DIR).counts.reduce((s, c) => s + c.slice(0, MINUTES).reduce((a, b) => a + b, 0), 0);
  const conn = (): string[] => ['--brokers', stack.brokers.join(','), '--registry', stack.registryUrl];

  it('topics --create lists the catalogue and creates every topic', async () => {
    const r = await warmcast('topics', '--create', '--brokers', stack.brokers.join(','));
    expect(r.code, r.stderr).toBe(0);
    for (const t of catalogue) expect(r.stdout).toContain(t.name);
    expect(r.stdout).toContain(`created ${catalogue.length} topic(s)`);
    const admin = stack.kafka('check').admin();
    await admin.connect();
    expect(new Set(await admin.listTopics())).toEqual(new Set(catalogue.map((t) => t.name)));
    await admin.disconnect();
  });

  it('publish sends the first minutes of the bundled sample and exits 0', async () => {
    const r = await warmcast('publish', '--limit', String(MINUTES), '--speed', '0', '--start', '2026-01-05T00:00:00Z', ...conn());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`published ${expected} requests to exec.request.received.v1 and ${expected} metrics`);
    expect(r.stderr).toMatch(/minute +3\/3/);
  });

  it('tail prints decoded messages with partition, offset and key, and stops at --max', async () => {
    const r = await warmcast('tail', 'exec.request.received.v1', '--from-beginning', '--max', '4', ...conn());
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { partition: number; offset: string; key: string; value: { userId: string; requestId: string; eventTime: number } });
    expect(lines.length).toBe(4);
    for (const l of lines) {
      expect(l.key).toBe(l.value.userId);
      expect(l.partition).toBeGreaterThanOrEqual(0);
      expect(l.value.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(l.value.eventTime).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5));
    }
  });

  it('tail without --max runs until Ctrl-C, then exits 0; --format pretty indents', async () => {
    const child = spawn(process.execPath, [BIN, 'tail', 'exec.metrics.reported.v1', '--from-beginning', '--format', 'pretty', ...conn()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"finishedAt"')) resolve();
      });
      child.on('exit', () => reject(new Error(`tail exited before printing: ${err}`)));
    });
    child.kill('SIGINT');
    expect(await exited, err).toBe(0);
    expect(out.startsWith('{\n  "topic": "exec.metrics.reported.v1",\n')).toBe(true);
  });

  it('flag errors name the flag and what is allowed; unknown topics list the catalogue', async () => {
    const [speed, trace, brokers, topic] = await Promise.all([
      warmcast('publish', '--speed', 'fast', ...conn()),
      warmcast('publish', '--trace', '/nonexistent-trace', ...conn()),
      warmcast('topics', '--create', '--brokers', 'no-port'),
      warmcast('tail', 'nope.v1', ...conn()),
    ]);
    expect(speed.code).not.toBe(0);
    expect(speed.stderr).toMatch(/--speed <x>' argument 'fast' is invalid\. must be a number >= 0/);
    expect(trace.code).toBe(2);
    expect(trace.stderr).toContain('--trace "/nonexistent-trace": TRACE_NOT_FOUND');
    expect(brokers.stderr).toMatch(/--brokers <list>' argument 'no-port' is invalid\. must be a comma-separated list of host:port/);
    expect(topic.code).toBe(2);
    expect(topic.stderr).toContain('provision.command.issued.v1');
  });

  it('kcat sees the published requests', async (ctx) => {
    if (!(await hasKcat())) {
      console.warn('skipped: kcat is not installed (apt-get install kcat)');
      ctx.skip();
    }
    const { stdout } = await run('kcat', ['-b', stack.brokers[0] ?? '', '-C', '-t', 'exec.request.received.v1', '-e', '-q', '-f', '%k\n'], { timeout: 30_000 });
    expect(stdout.trim().split('\n').length).toBe(expected);
  });
});
