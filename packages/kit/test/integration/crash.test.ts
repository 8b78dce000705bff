// A consumer killed (SIGKILL) after a message's output is durable but before its offset is
// committed: the next consumer of the group re-processes that message and loses nothing.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './helpers.ts';
import type { Stack } from './helpers.ts';
import { fixtures } from './fixtures.ts';
import { catalogue } from '../../src/topics.ts';
import { Topics } from '../../src/generated/catalogue.ts';
import { createRegistryClient, registerSchemas } from '../../src/serde/registry.ts';
import { TypedProducer } from '../../src/producer.ts';

const topic = Topics.execRequestReceived;
const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');
const N = 10;
const KILL_AT = 4;
let stack: Stack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack();
  await stack.createTopics([topic, Topics.opsDeadletter]);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await stack?.stop();
});

function start(outFile: string, killAt: number, commitEvery: string, groupId: string): { proc: ChildProcess; next: (kind: string) => Promise<Record<string, unknown>> } {
  const proc = fork(child, [stack.brokers.join(','), stack.registryUrl, outFile, String(killAt), String(N), commitEvery, groupId], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(proc);
  const next = (kind: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const onMsg = (m: Record<string, unknown>): void => { if (m['kind'] === kind) { proc.off('message', onMsg); resolve(m); } };
    proc.on('message', onMsg);
    proc.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before ${kind}`)));
  });
  return { proc, next };
}

/** Runs a consumer that is SIGKILLed at KILL_AT, then a second one to the end; returns the processed lines of both. */
async function killAndResume(commitEvery: string, groupId: string): Promise<string[]> {
  const outFile = join(stack.dir, `${groupId}.txt`);
  const first = start(outFile, KILL_AT, commitEvery, groupId);
  const at = await first.next('durable-not-committed');
  expect(at['offset']).toBe(String(KILL_AT));
  const exited = new Promise((r) => first.proc.once('exit', (_c, signal) => r(signal)));
  first.proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const second = start(outFile, -1, commitEvery, groupId);
  await second.next('caught-up'); // offset N committed: everything processed
  const stopped = new Promise((r) => second.proc.once('exit', r));
  second.proc.send({ kind: 'stop' });
  await stopped;
  return readFileSync(outFile, 'utf8').trim().split('\n');
}

describe('crash between processing and commit', () => {
  beforeAll(async () => {
    const registry = createRegistryClient(stack.registryUrl);
    await registerSchemas(registry, catalogue);
    const producer = new TypedProducer({ producer: stack.kafka('crash-p').producer(), registry });
    await producer.start();
    await producer.send(topic, Array.from({ length: N }, (_, i) => ({ key: 'user-1', value: { ...fixtures[topic].value, requestId: `r${i}` } })));
    await producer.close();
  });

  it('commit per message: exactly the killed message is processed twice, nothing lost', async () => {
    const lines = await killAndResume('1', 'crash-each');
    // Offsets 0..3 were committed; the second consumer resumes at 4.
    expect(lines).toEqual([
      ...Array.from({ length: KILL_AT + 1 }, (_, i) => `${i} r${i}`),
      ...Array.from({ length: N - KILL_AT }, (_, j) => `${KILL_AT + j} r${KILL_AT + j}`),
    ]);
  });

  it('default batched commits: the second consumer resumes at or before the killed message, nothing lost', async () => {
    const lines = await killAndResume('', 'crash-batched');
    const offsets = lines.map((l) => Number(l.split(' ')[0]));
    const firstRun = offsets.slice(0, KILL_AT + 1);
    const secondRun = offsets.slice(KILL_AT + 1);
    expect(firstRun).toEqual([0, 1, 2, 3, 4]);
    // The second run is one contiguous, ordered range ending at N-1 and starting no later than KILL_AT.
    const from = secondRun[0] ?? Infinity;
    expect(from).toBeLessThanOrEqual(KILL_AT);
    expect(secondRun).toEqual(Array.from({ length: N - from }, (_, i) => from + i));
    expect(new Set(offsets)).toEqual(new Set(Array.from({ length: N }, (_, i) => i)));
  });
});
