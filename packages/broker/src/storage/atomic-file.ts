/** Replace a small file atomically: write a temp file, fsync it, rename over, fsync the directory. */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const fd = await open(tmp, 'w');
  try {
    await fd.writeFile(data);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/** Makes a rename/create/unlink in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}
