// <warehouse dir>/endpoint.json: where a running stack serves its warehouse over HTTP, so
// `warmcast sql` can reach it while the chDB directory is locked by that stack.
import { readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const ENDPOINT_FILE = 'endpoint.json';

export interface EndpointRecord {
  readonly url: string;
  readonly pid: number;
}

export async function writeEndpointFile(dir: string, record: EndpointRecord): Promise<void> {
  const tmp = join(dir, `${ENDPOINT_FILE}.${record.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(record)}\n`);
  await rename(tmp, join(dir, ENDPOINT_FILE)); // readers never see half a file
}

/** Removes the file only if it still names `url` (another server may have replaced it). */
export async function removeEndpointFile(dir: string, url: string): Promise<void> {
  const current = await readEndpointFile(dir);
  if (current?.url === url) await rm(join(dir, ENDPOINT_FILE), { force: true });
}

export async function readEndpointFile(dir: string): Promise<EndpointRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, ENDPOINT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<EndpointRecord>;
    return typeof v.url === 'string' && typeof v.pid === 'number' ? { url: v.url, pid: v.pid } : undefined;
  } catch {
    return undefined;
  }
}
