import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, isRegistryEvent, registryError } from '../core/index.ts';
import type { RegistryError, RegistryEvent } from '../core/index.ts';

export const JOURNAL_FILE = 'registry.journal';

/**
 * Append-only journal: one JSON line per command, `{"events":[...]}`, written with one
 * write(2) and fsync'd before the HTTP reply goes out, so a SIGKILL right after a 200 loses
 * nothing. A command's events share a line, so a subject delete is all-or-nothing.
 */
export interface Journal {
  append(events: readonly RegistryEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface OpenedJournal {
  readonly journal: Journal;
  /** Every durable command, oldest first, to replay into an empty state. */
  readonly records: RegistryEvent[][];
  /** Bytes of a torn last line that were cut off (0 on a clean start). */
  readonly truncatedBytes: number;
}

function storeError(message: string, cause?: unknown): RegistryError {
  return registryError(ErrorCodes.STORE_ERROR, message, cause);
}

function parseLine(line: string): RegistryEvent[] | null {
  try {
    const rec = JSON.parse(line) as { events?: unknown };
    if (!Array.isArray(rec.events) || !rec.events.every(isRegistryEvent)) return null;
    return rec.events;
  } catch {
    return null;
  }
}

/**
 * Opens (creating if needed) `<dataDir>/registry.journal` and reads it back.
 * Recovery: a last line without its newline, or a last line that does not parse (a write
 * torn by a crash), is ignored and truncated away, so the next append starts on a clean line.
 * A bad line anywhere else is corruption: opening fails with a 50001 error rather than
 * silently dropping registrations (ids would then be handed out twice).
 */
export async function openJournal(dataDir: string): Promise<OpenedJournal> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, JOURNAL_FILE);
  const fh = await open(path, 'a+');
  try {
    const buf = await fh.readFile();
    const records: RegistryEvent[][] = [];
    let goodEnd = 0;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(0x0a, pos);
      const end = nl === -1 ? buf.length : nl;
      const line = buf.subarray(pos, end).toString('utf8');
      const events = nl === -1 ? null : parseLine(line);
      if (events === null) {
        const isLast = nl === -1 || nl === buf.length - 1;
        if (!isLast) throw storeError(`Journal ${path} is corrupt at byte ${pos}: not a journal record`);
        break;
      }
      records.push(events);
      pos = nl + 1;
      goodEnd = pos;
    }
    const truncatedBytes = buf.length - goodEnd;
    if (truncatedBytes > 0) {
      await fh.truncate(goodEnd);
      await fh.sync();
    }
    await syncDir(dataDir);
    return { journal: new FileJournal(fh, path, goodEnd), records, truncatedBytes };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** fsync the directory so a newly created journal's directory entry survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

class FileJournal implements Journal {
  private broken: RegistryError | null = null;

  constructor(
    private readonly fh: FileHandle,
    private readonly path: string,
    private size: number,
  ) {}

  /** pre: callers serialise appends (the server runs one state change at a time). */
  async append(events: readonly RegistryEvent[]): Promise<void> {
    if (this.broken) throw this.broken;
    if (events.length === 0) return;
    const bytes = Buffer.from(`${JSON.stringify({ events })}\n`, 'utf8');
    try {
      let off = 0;
      // The file is opened O_APPEND; a short write continues where it stopped.
      while (off < bytes.length) {
        const { bytesWritten } = await this.fh.write(bytes, off, bytes.length - off);
        off += bytesWritten;
      }
      await this.fh.sync();
      this.size += bytes.length;
    } catch (err) {
      // Cut a partial line off so later appends do not land after garbage; if even that
      // fails, refuse every further change rather than risk a corrupt middle line.
      try {
        await this.fh.truncate(this.size);
      } catch (truncErr) {
        this.broken = storeError(`Journal ${this.path} is unusable after a failed write`, truncErr);
      }
      throw storeError(`Could not write journal ${this.path}: ${(err as Error).message}`, err);
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
