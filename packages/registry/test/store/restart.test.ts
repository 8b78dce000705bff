import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRestError, record } from '../helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/registry-child.ts', import.meta.url));
const children: ChildProcess[] = [];
let dataDir: string;

/** Starts the fixture in a child process and resolves with its URL once it listens. */
async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`registry child exited early (code ${code})`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return { child, url };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise<unknown>((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'warmcast-registry-restart-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const A1 = record('r.A', [{ name: 'x', type: 'int' }]);
const A2 = record('r.A', [{ name: 'x', type: 'int' }, { name: 'y', type: 'string', default: '' }]);
const A3 = record('r.A', [{ name: 'x', type: 'long' }, { name: 'y', type: 'string', default: '' }]);
const B1 = record('r.B', [{ name: 'z', type: 'string' }]);
const C1 = record('r.C', [{ name: 'w', type: 'double' }]);

describe('restart after SIGKILL on the same data dir', () => {
  it('keeps every id, version, soft delete and config; new schemas get new ids', async () => {
    const first = await startChild();
    const c1 = new SchemaRegistryClient({ baseURLs: [first.url], maxRetries: 0 });
    const schemas = { a: [A1, A2, A3], b: [B1, A2], c: [C1] } as const;
    // b-value takes an unrelated record as version 2, so it needs NONE first
    await c1.updateCompatibility('b-value', 'NONE' as never);
    const before = new Map<string, number>();
    for (const [s, list] of Object.entries(schemas)) {
      for (const text of list) before.set(`${s}-value:${text}`, await c1.register(`${s}-value`, { schemaType: 'AVRO', schema: text }));
    }
    expect(await c1.deleteSubject('c-value')).toEqual([1]);
    expect(await c1.deleteSubjectVersion('a-value', 1)).toBe(1);
    const maxId = Math.max(...before.values());
    // The last 200 has been received: kill -9 now, no chance to flush anything else.
    await kill9(first.child);

    const second = await startChild();
    const c2 = new SchemaRegistryClient({ baseURLs: [second.url], maxRetries: 0 });
    for (const [s, list] of Object.entries(schemas)) {
      for (const [i, text] of list.entries()) {
        const meta = await c2.getSchemaMetadata(`${s}-value`, i + 1, true);
        expect({ s, version: meta.version, id: meta.id, schema: JSON.parse(meta.schema) as unknown }).toEqual({
          s,
          version: i + 1,
          id: before.get(`${s}-value:${text}`),
          schema: JSON.parse(text),
        });
      }
    }
    // soft deletes remembered
    expect(await c2.getAllSubjects()).toEqual(['a-value', 'b-value']);
    expect(await c2.getAllVersions('a-value')).toEqual([2, 3]);
    await expectRestError(c2.getAllVersions('c-value'), 404, 40401);
    await expectRestError(c2.deleteSubject('c-value'), 404, 40404);
    expect(await c2.getCompatibility('b-value')).toBe('NONE');
    // same text -> same id after the restart; new text -> a fresh id above every old one
    expect(await c2.register('d-value', { schemaType: 'AVRO', schema: A2 })).toBe(before.get(`a-value:${A2}`));
    const fresh = await c2.register('e-value', { schemaType: 'AVRO', schema: record('r.D', [{ name: 'q', type: 'int' }]) });
    expect(fresh).toBe(maxId + 1);
    await kill9(second.child);

    // and once more: the registration made after the first restart survived too
    const third = await startChild();
    const c3 = new SchemaRegistryClient({ baseURLs: [third.url], maxRetries: 0 });
    expect(await c3.getLatestSchemaMetadata('e-value')).toMatchObject({ id: fresh, version: 1 });
    const clean = new Promise((resolve) => third.child.once('exit', (code) => resolve(code)));
    third.child.kill('SIGTERM');
    expect(await clean).toBe(0);
  });
});
