import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../src/core/index.ts';
import type { RegistryEvent } from '../../src/core/index.ts';
import { JOURNAL_FILE, openJournal } from '../../src/store/journal.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const e1: RegistryEvent = { type: 'schema-created', id: 1, schema: '"string"', references: [], at: 1 };
const e2: RegistryEvent = { type: 'version-registered', subject: 's', version: 1, id: 1, at: 1 };
const e3: RegistryEvent = { type: 'compatibility-set', subject: null, level: 'FULL', at: 2 };

describe('journal', () => {
  it('a command is one line; records come back in order after reopening', async () => {
    const a = await openJournal(dir);
    expect(a.records).toEqual([]);
    await a.journal.append([e1, e2]);
    await a.journal.append([e3]);
    await a.journal.append([]); // nothing to write: no empty line
    await a.journal.close();
    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    expect(text.split('\n')).toHaveLength(3); // two lines + trailing ''
    const b = await openJournal(dir);
    expect(b.records).toEqual([[e1, e2], [e3]]);
    expect(b.truncatedBytes).toBe(0);
    await b.journal.close();
  });

  it('a torn last line (crash mid-write) is ignored and cut off; the next append starts clean', async () => {
    const a = await openJournal(dir);
    await a.journal.append([e1, e2]);
    await a.journal.close();
    const path = join(dir, JOURNAL_FILE);
    const goodSize = (await stat(path)).size;
    const torn = '{"events":[{"type":"compatibility-set","subj';
    await appendFile(path, torn);
    const b = await openJournal(dir);
    expect(b.records).toEqual([[e1, e2]]);
    expect(b.truncatedBytes).toBe(torn.length);
    expect((await stat(path)).size).toBe(goodSize);
    await b.journal.append([e3]);
    await b.journal.close();
    const c = await openJournal(dir);
    expect(c.records).toEqual([[e1, e2], [e3]]);
    await c.journal.close();
  });

  it('a bad line before the end is corruption: refuse to start with 50001', async () => {
    await writeFile(join(dir, JOURNAL_FILE), `garbage\n${JSON.stringify({ events: [e1] })}\n`);
    const err: unknown = await openJournal(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isRegistryError(err) && err.errorCode).toBe(50001);
  });
});
