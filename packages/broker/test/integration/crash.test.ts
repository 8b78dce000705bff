/**
 * Crash safety: the broker runs as a child process, kafkajs producers (acks=-1) write, the child
 * is SIGKILLed mid-stream and restarted on the same data dir. Every acknowledged message must be
 * there exactly once (idempotent producer) or at least once (plain producer), and a group's
 * committed offsets must be intact.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startChildBroker, type ChildBroker } from './child-broker.ts';

const run = promisify(execFile);
let dir = '';
let current: ChildBroker | undefined;

afterAll(async () => {
  current?.child.kill('SIGKILL');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function client(port: number, id: string): Kafka {
  return new Kafka({ clientId: id, brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 } });
}

/** Sends batches of 10 until stopped; records the values whose send was acknowledged. */
async function writeLoop(producer: Producer, topic: string, prefix: string, acked: string[], stop: { now: boolean }): Promise<void> {
  for (let batch = 0; !stop.now; batch++) {
    const values = Array.from({ length: 10 }, (_, i) => `${prefix}-${batch * 10 + i}`);
    try {
      await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: String(i % 3), value })) });
      acked.push(...values);
    } catch {
      return; // the broker died under us: unacknowledged values prove nothing
    }
  }
}

describe('SIGKILL mid-stream, restart on the same dir', () => {
  it('keeps every acknowledged message and committed offsets', async () => {
    dir = await mkdtemp(join(tmpdir(), 'warmcast-crash-'));
    current = await startChildBroker(dir, ['--partitions', '2']);
    const k = client(current.port, 'crash');
    const admin = k.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash', numPartitions: 2 }, { topic: 'offsets', numPartitions: 1 }] });

    // A committed group offset before the crash.
    const seed = k.producer();
    await seed.connect();
    await seed.send({ topic: 'offsets', messages: Array.from({ length: 7 }, (_, i) => ({ value: `o${i}` })) });
    await seed.disconnect();
    await admin.setOffsets({ groupId: 'crash-group', topic: 'offsets', partitions: [{ partition: 0, offset: '5' }] });
    const committedBefore = await admin.fetchOffsets({ groupId: 'crash-group', topics: ['offsets'] });
    await admin.disconnect();

    const idem = k.producer({ idempotent: true, maxInFlightRequests: 1 });
    const plain = k.producer();
    await idem.connect();
    await plain.connect();
    const ackedIdem: string[] = [];
    const ackedPlain: string[] = [];
    const stop = { now: false };
    const loops = [writeLoop(idem, 'crash', 'idem', ackedIdem, stop), writeLoop(plain, 'crash', 'plain', ackedPlain, stop)];
    // Kill once both producers have a few hundred acknowledged messages (never a fixed sleep).
    while (ackedIdem.length < 300 || ackedPlain.length < 300) await new Promise((r) => setImmediate(r));
    current.child.kill('SIGKILL');
    const exit = await current.exited;
    expect(exit.signal).toBe('SIGKILL');
    stop.now = true;
    await Promise.all(loops);
    await Promise.allSettled([idem.disconnect(), plain.disconnect()]);

    current = await startChildBroker(dir, ['--partitions', '2']);
    const { stdout } = await run('kcat', ['-b', `127.0.0.1:${current.port}`, '-C', '-t', 'crash', '-o', 'beginning', '-e', '-q', '-X', 'check.crcs=true', '-f', '%s\\n'], { maxBuffer: 1 << 26 });
    const counts = new Map<string, number>();
    for (const v of stdout.split('\n')) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    const missingIdem = ackedIdem.filter((v) => counts.get(v) === undefined);
    const duplicatedIdem = ackedIdem.filter((v) => (counts.get(v) ?? 0) > 1);
    const missingPlain = ackedPlain.filter((v) => counts.get(v) === undefined);
    expect({ missingIdem, duplicatedIdem, missingPlain }).toEqual({ missingIdem: [], duplicatedIdem: [], missingPlain: [] });

    const admin2 = client(current.port, 'crash-after').admin();
    await admin2.connect();
    expect(await admin2.fetchOffsets({ groupId: 'crash-group', topics: ['offsets'] })).toEqual(committedBefore);
    await admin2.disconnect();

    current.child.kill('SIGTERM');
    expect((await current.exited).code).toBe(0); // clean shutdown on SIGTERM exits 0
    current = undefined;
  }, 180_000);
});
