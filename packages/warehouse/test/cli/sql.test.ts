// `warmcast sql` as a child process: against a running stack's warehouse (this test process
// holds the chDB directory and serves it over HTTP, as warmcast up does), then directly once
// the directory is free. Parameters carry a hostile string; a bad query exits 2 with one line.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tables, commandRow, openWarehouse, serveClickHouseHttp, warehouseDir } from '../../src/index.ts';
import { HOSTILE, sinkFixtures } from '../fixtures.ts';
import { Topics } from '@warmcast/kit';

const CLI = fileURLToPath(new URL('../../../cli/bin/warmcast.js', import.meta.url));

function warmcast(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CLICKHOUSE_URL: '' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : Number((err as { code?: unknown }).code ?? 1), stdout, stderr });
    });
  });
}

let dataDir: string;
beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'warmcast-sql-')); });
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

// Each CLI run starts Node + tsx (+ chDB when it opens the directory): ~5 s idle, ~35 s seen on
// the shared 2-core machine under load, so these tests get 3 minutes.
describe('warmcast sql', { timeout: 180_000 }, () => {
  it('queries a running stack\'s warehouse through its endpoint, with parameters, in csv and json', async () => {
    const wh = await openWarehouse({ dataDir: warehouseDir(dataDir), env: {} });
    const ep = await serveClickHouseHttp(wh, { port: 0 });
    try {
      const cmd = sinkFixtures[Topics.provisionCommandIssued].value;
      await wh.insert(Tables.commands, [commandRow(cmd), commandRow({ ...cmd, commandId: 'cmd-2', reason: { ...cmd.reason, text: 'plain' } })]);
      const csv = await warmcast(['sql', `SELECT command_id, reason_rule, count FROM ${Tables.commands} WHERE reason_text = {t:String}`, '--data', dataDir, '--format', 'csv', '--param', `t=${HOSTILE}`]);
      expect(csv).toMatchObject({ code: 0, stdout: 'command_id,reason_rule,count\r\ncmd-1,proactive-scale-out,2\r\n' });
      const json = await warmcast(['sql', `SELECT command_id FROM ${Tables.commands} ORDER BY command_id`, '--data', dataDir, '--format', 'json']);
      expect(JSON.parse(json.stdout)).toEqual([{ command_id: 'cmd-1' }, { command_id: 'cmd-2' }]);
    } finally {
      await ep.close();
      await wh.close();
    }
  });

  it('opens the directory itself when no stack holds it; a bad query is one line and exit 2', async () => {
    const table = await warmcast(['sql', `SELECT count() AS n, 'a' AS s FROM ${Tables.commands}`, '--data', dataDir]);
    expect(table).toMatchObject({ code: 0, stdout: 'n | s\n--+--\n2 | a\n(1 row)\n' });
    const bad = await warmcast(['sql', 'SELECT nope', '--data', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^warmcast sql: QUERY_FAILED: .*nope/m);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
