// Runs profiler-child.ts and follows its stats lines.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const CHILD = fileURLToPath(new URL('./profiler-child.ts', import.meta.url));

export interface RunningChild {
  readonly proc: ChildProcess;
  latest(): Record<string, number>;
  /** resolves when pred(stats) holds (polled on every stats line); rejects if the child exits first */
  until(pred: (s: Record<string, number>) => boolean): Promise<Record<string, number>>;
  exited: Promise<number | null>;
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
    for (const w of waiters.splice(0)) w.reject(new Error(`profiler child exited (${code}) before the condition held; last stats ${JSON.stringify(latest)}`));
    resolve(code);
  }));
  return {
    proc, exited, latest: () => latest,
    until: (pred) => (pred(latest) ? Promise.resolve(latest) : new Promise((resolve, reject) => waiters.push({ pred, resolve, reject }))),
  };
}

/** every partition's last folded offset reached its end (high watermark - 1), across one or more processes' stats */
export function caughtUp(ends: readonly { partition: number; high: string }[], ...stats: Record<string, number>[]): boolean {
  return ends.every((e) => Number(e.high) === 0 || stats.some((s) => (s[`lastOffset.p${e.partition}`] ?? -1) >= Number(e.high) - 1));
}
