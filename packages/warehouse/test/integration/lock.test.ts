// chDB allows one process per data directory. A second process gets WAREHOUSE_LOCKED naming
// the directory; openDataDirWarehouse (warmcast sql) then uses the HTTP endpoint the holder
// recorded in endpoint.json, or says there is none. This file opens no warehouse of its own
// before the holders exit (one chDB directory per process).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_FILE, Tables, openDataDirWarehouse, openWarehouse, warehouseDir } from '../../src/index.ts';

const CHILD = fileURLToPath(new URL('./holder-child.ts', import.meta.url));

interface Holder { readonly child: ChildProcess; readonly url: string; stop(): Promise<void> }

async function hold(dir: string, mode: 'serve' | 'plain'): Promise<Holder> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /ready (\S+)\n/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before ready: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, url, stop: async () => { child.stdin?.end(); await exited; } };
}

let dataDir: string;
beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'warmcast-lock-')); });
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

describe('a warehouse directory held by another process', () => {
  it('is refused with WAREHOUSE_LOCKED naming the directory, and without an endpoint says so', async () => {
    const holder = await hold(warehouseDir(dataDir), 'plain');
    try {
      await expect(openWarehouse({ dataDir: warehouseDir(dataDir), env: {} })).rejects.toMatchObject({
        code: 'WAREHOUSE_LOCKED', retriable: false, message: expect.stringContaining(`${warehouseDir(dataDir)} is in use by another process`),
      });
      await expect(openDataDirWarehouse({ dataDir, env: {} })).rejects.toMatchObject({ code: 'ENDPOINT_UNAVAILABLE', message: expect.stringContaining('no endpoint.json') });
    } finally {
      await holder.stop();
    }
  });

  it('is queried through the holder\'s recorded HTTP endpoint, then directly once it exits', async () => {
    const holder = await hold(warehouseDir(dataDir), 'serve');
    try {
      expect(existsSync(join(warehouseDir(dataDir), ENDPOINT_FILE))).toBe(true);
      const { warehouse, via } = await openDataDirWarehouse({ dataDir, env: {} });
      expect({ via, location: warehouse.location }).toEqual({ via: 'endpoint', location: holder.url });
      expect(await warehouse.query(`SELECT count() AS n FROM ${Tables.schemaMigrations} WHERE version >= {v:UInt32}`, { v: 1 })).toEqual([{ n: 4 }]);
      await warehouse.close();
    } finally {
      await holder.stop();
    }
    expect(existsSync(join(warehouseDir(dataDir), ENDPOINT_FILE))).toBe(false);
    const direct = await openDataDirWarehouse({ dataDir, env: {} });
    expect(direct.via).toBe('chdb');
    await direct.warehouse.close();
  });
});
