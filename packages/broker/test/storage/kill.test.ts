import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, resolveLogConfig, type StorageEvent } from '../../src/storage/index.ts';
import { killBatch } from './fixtures/kill-batch.ts';
import { sameBatchBody, splitBatches } from './helpers/record-batch.ts';
import { tempDir } from './helpers/temp-dir.ts';

const appender = fileURLToPath(new URL('./fixtures/appender.ts', import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Starts the appender, SIGKILLs it once `killAfter` acks arrived, returns every ack line. */
function runAndKill(killAfter: number): Promise<Array<{ offset: bigint; i: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', appender, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Array<{ offset: bigint; i: number }> = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const [o, i] = line.split(' ');
        acks.push({ offset: BigInt(o!), i: Number(i) });
      }
      if (acks.length >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`appender exited ${code}/${signal} before the kill: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('kill -9 while appending', () => {
  it('every acknowledged batch is present with identical bytes after reopen', async () => {
    const acks = await runAndKill(400);
    expect(acks.length).toBeGreaterThanOrEqual(400);
    const events: StorageEvent[] = [];
    const log = await PartitionLog.open(dir, 'kill', 0, resolveLogConfig({ fsync: 'os', segmentBytes: 256 * 1024 }), { onEvent: (e) => events.push(e) });
    expect(log.segmentCount).toBeGreaterThan(1);
    const last = acks[acks.length - 1]!;
    expect(log.highWatermark).toBeGreaterThan(last.offset);
    for (const { offset, i } of acks) {
      const got = splitBatches((await log.read(offset, 1)).records)[0]!;
      expect(got.baseOffset).toBe(offset);
      expect(sameBatchBody(got.bytes, killBatch(i))).toBe(true);
    }
    // the log is consistent past the acks too: appends continue right after the recovered end
    const hwm = log.highWatermark;
    expect((await log.append(killBatch(0), 0)).baseOffset).toBe(hwm);
    await log.close();
  });
});
