// Runs aggregator-child.ts and follows its stats lines (the profiler's SIGKILL test pattern).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const CHILD = fileURLToPath(new URL('./aggregator-child.ts', import.meta.url));

export interface RunningChild {
  readonly proc: ChildProcess;
  /** Resolves when pred(stats) holds (checked on every stats line); rejects if the child exits first. */
  until(pred: (s: Record<string, number>) => boolean): Promise<Record<string, number>>;
  readonly exited: Promise<number | null>;
}

export function runChild(arg: object): RunningChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(arg)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let latest: Record<string, number> = {};
  const waiters: { pred: (s: Record<string, number>) => boolean; resolve: (s: Record<string, number>) => void; reject: (e: Error) => void }[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    try { latest = JSON.parse(line) as Record<string, number>; } catch { return; }
    for (const w of [...waiters]) if (w.pred(latest)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(latest); }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`aggregator child exited (${code}) before the condition held; last stats ${JSON.stringify(latest)}`));
    resolve(code);
  }));
  return {
    proc, exited,
    until: (pred) => (pred(latest) ? Promise.resolve(latest) : new Promise((resolve, reject) => waiters.push({ pred, resolve, reject }))),
  };
}

/** Every partition's latest commit decision covers its last message (high watermark - 1). */
export function caughtUp(ends: readonly { partition: number; high: string }[], s: Record<string, number>): boolean {
  return ends.every((e) => Number(e.high) === 0 || (s[`lastOffset.p${e.partition}`] ?? -1) >= Number(e.high) - 1);
}
