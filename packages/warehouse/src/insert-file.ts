// RowBinary into chDB (shell): chdb 3.4's raw insert takes text formats only and a query is a
// JS string (UTF-8 on the native side), so binary rows cannot ride inline. Instead the bytes go
// to a file in a RAM-backed temp dir and ClickHouse reads them with its file() table function:
//   INSERT INTO t (cols) SELECT * FROM file({path:String}, 'RowBinary', {structure:String})
// chDB (like clickhouse-local) accepts an absolute path there (no user_files_path), and both the
// path and the structure bind as server-side parameters, so neither is spliced into SQL text.
// The path is still ours alone: a generated name in a fixed directory, checked by pattern.
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WarehouseError } from './errors.ts';
import type { EncodedInsert } from './insert.ts';

/** Runs one statement with server-side parameters (chDB's connection.command, or a client's). */
export type StatementRunner = (query: string, params: Readonly<Record<string, string>>) => Promise<unknown>;

/** /dev/shm when present (tmpfs: the write is a memory copy), else the OS temp dir. */
export function binaryInsertDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

// Absolute, plain characters only: no quotes, backslashes, spaces, globs ({} * ?) or '..'
// (file() expands globs in its path argument).
const SAFE_PATH = /^\/(?:[A-Za-z0-9_.-]+\/)*warmcast-rb-[0-9]+-[0-9]+-[0-9a-f]{8}\.bin$/;

let seq = 0;

/**
 * Deletes insert files a crashed process left behind (normally each is deleted right after its
 * insert): ours by name, of a pid that no longer runs. Returns how many were removed.
 */
export function sweepStaleInsertFiles(dir: string): number {
  let removed = 0;
  let names: string[];
  try { names = readdirSync(dir); } catch { return 0; }
  for (const name of names) {
    const m = /^warmcast-rb-([0-9]+)-[0-9]+-[0-9a-f]{8}\.bin$/.exec(name);
    if (m === null || isAlive(Number(m[1]))) continue;
    try { unlinkSync(join(dir, name)); removed += 1; } catch { /* another process swept it first */ }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** A fresh file name for one insert; throws CONFIG_INVALID when the directory has unusual characters. */
export function binaryInsertPath(dir: string): string {
  seq += 1;
  const path = join(dir, `warmcast-rb-${process.pid}-${seq}-${randomBytes(4).toString('hex')}.bin`);
  if (!SAFE_PATH.test(path) || path.includes('/../') || path.includes('/./')) {
    throw new WarehouseError('CONFIG_INVALID', `temp path ${JSON.stringify(path)} for RowBinary inserts has characters file() could read as a glob or escape; set TMPDIR to a plain absolute directory`);
  }
  return path;
}

/** Writes the batch to a temp file, inserts it through file(), always deletes the file. Errors are the caller's to map. */
export async function insertRowBinaryViaFile(run: StatementRunner, b: Pick<EncodedInsert, 'table' | 'columns' | 'structure' | 'body'>, dir: string): Promise<void> {
  const path = binaryInsertPath(dir);
  // 'wx': never follow or overwrite something already there; 0600: rows are not for other users.
  await writeFile(path, b.body, { flag: 'wx', mode: 0o600 });
  try {
    await run(`INSERT INTO ${b.table} (${b.columns.join(', ')}) SELECT * FROM file({path:String}, 'RowBinary', {structure:String})`, { path, structure: b.structure });
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
