import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp dir per test; the returned cleanup removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'warmcast-storage-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
