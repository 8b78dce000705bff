// The adapters service on the embedded broker and registry: a command delivered twice is applied
// once (APPLIED + DUPLICATE, pool status counted once), also across a restart; requests flow into
// pool status and outcomes; poison commands are REJECTED and the partition moves on; a failing
// platform is answered FAILED behind the breaker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Topics, WarmcastError } from '@warmcast/kit';
import type { CommandResult, NormalizedEventInput, ProvisionCommand, ProvisionCommandInput } from '@warmcast/kit';
import { createAdapterService } from '../../src/service.ts';
import type { AdapterService } from '../../src/service.ts';
import type { HypervisorAdapter } from '../../src/adapter.ts';
import { NO_REPORTS } from '../../src/adapter.ts';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const silent = pino({ level: 'silent' });
let stack: Stack;
beforeAll(async () => { stack = await startStack(); }, 60_000);
afterAll(async () => { await stack?.stop(); });

function command(c: Partial<ProvisionCommandInput> & Pick<ProvisionCommandInput, 'commandId'>): ProvisionCommandInput {
  return { kind: 'LAUNCH', poolId: 'py/M', pool: { runtime: 'py', sizeClass: 'M' }, count: 2, reason: { rule: 'test', text: 'integration' }, issuedAt: T0, ...c };
}

async function send(c: ProvisionCommandInput): Promise<void> {
  await stack.client.producer.send(Topics.provisionCommandIssued, [{ key: c.poolId, value: c }]);
}

function fakeAdapter(name: string, call: (cmd: ProvisionCommand) => Promise<void>): HypervisorAdapter {
  return {
    name,
    apply: async (cmd) => {
      await call(cmd);
      return { result: { commandId: cmd.commandId, poolId: cmd.poolId, status: 'APPLIED', adapter: name, appliedAt: cmd.issuedAt, error: null }, ...NO_REPORTS };
    },
    report: async () => [],
    remember: () => {},
    totals: () => ({ requests: 0, warmHits: 0, coldStarts: 0, coldLatencyMsSum: 0, queued: 0, queueWaitMsSum: 0, idleVmSeconds: 0, busyVmSeconds: 0, cost: 0, spotInterruptions: 0, commandsApplied: 0, duplicates: 0, dryRuns: 0, rejected: 0, ignoredEvents: 0, lateInputs: 0, lateMsMax: 0, pools: 0, vms: 0 }),
    close: async () => { closed.push(name); },
  };
}
const closed: string[] = [];

const resultsFor = (id: string) => (rs: CommandResult[]): CommandResult[] => rs.filter((r) => r.commandId === id);

async function started(name: string, extra: Partial<Parameters<typeof createAdapterService>[0]> = {}): Promise<AdapterService> {
  const s = createAdapterService({ config: stack.config(name), logger: silent, simulator: { boot: { medianMs: 2500, sigma: 0 } }, ...extra });
  await s.start();
  return s;
}

describe('adapters service', () => {
  it('applies a command delivered twice once, also across a restart', async () => {
    const first = await started('adapters-dup');
    try {
      await send(command({ commandId: 'dup-1' }));
      await send(command({ commandId: 'dup-1', issuedAt: T0 + 10 }));
      const results = resultsFor('dup-1')(await stack.read(Topics.provisionCommandApplied, (rs) => resultsFor('dup-1')(rs).length >= 2));
      expect(results.map((r) => r.status)).toEqual(['APPLIED', 'DUPLICATE']);
      expect(first.stats()).toMatchObject({ commandsApplied: 1, duplicates: 1, vms: 2 });
      const statuses = (await stack.read(Topics.poolStatusReported, (ss) => ss.some((s) => s.poolId === 'py/M'))).filter((s) => s.poolId === 'py/M');
      expect(statuses).toEqual([expect.objectContaining({ warming: 2, idle: 0, active: 0, adapter: 'simulator' })]);
    } finally {
      await first.close();
    }
    // A new process: the applied ids come back from provision.command.applied.v1.
    const second = await started('adapters-dup');
    try {
      expect(second.stats().rebuiltIds).toBe(2);
      await send(command({ commandId: 'dup-1', issuedAt: T0 + 20 }));
      const results = resultsFor('dup-1')(await stack.read(Topics.provisionCommandApplied, (rs) => resultsFor('dup-1')(rs).length >= 3));
      expect(results.map((r) => r.status)).toEqual(['APPLIED', 'DUPLICATE', 'DUPLICATE']);
      expect(second.stats()).toMatchObject({ commandsApplied: 0, duplicates: 1, vms: 0 });
    } finally {
      await second.close();
    }
  }, 60_000);

  it('answers poison commands REJECTED and keeps going; undecodable bytes are dead-lettered', async () => {
    const s = await started('adapters-poison');
    try {
      await send(command({ commandId: 'bad-kind', kind: 'UNKNOWN' }));
      await send(command({ commandId: 'bad-pool', poolId: 'not a pool' }));
      await stack.produceRaw(Topics.provisionCommandIssued, 'x', Buffer.from('not avro'));
      await send(command({ commandId: 'after-poison', poolId: 'py/S', pool: { runtime: 'py', sizeClass: 'S' }, count: 1 }));
      const rs = await stack.read(Topics.provisionCommandApplied, (all) => all.some((r) => r.commandId === 'after-poison'));
      expect(rs.find((r) => r.commandId === 'bad-kind')).toMatchObject({ status: 'REJECTED', error: expect.stringMatching(/kind UNKNOWN/) });
      expect(rs.find((r) => r.commandId === 'bad-pool')).toMatchObject({ status: 'REJECTED', error: expect.stringMatching(/pool id/) });
      expect(rs.find((r) => r.commandId === 'after-poison')).toMatchObject({ status: 'APPLIED' });
      const dead = await stack.read(Topics.opsDeadletter, (d) => d.some((x) => x.sourceTopic === Topics.provisionCommandIssued));
      expect(dead.find((x) => x.sourceTopic === Topics.provisionCommandIssued)).toMatchObject({ reasonCode: 'DECODE_FAILED' });
    } finally {
      await s.close();
    }
  }, 60_000);

  it('turns requests into pool status and per-window outcomes', async () => {
    const s = await started('adapters-flow');
    const user = 'abcdef012345'.padEnd(64, '0');
    const ev = (i: number, at: number): NormalizedEventInput => ({
      eventId: `ev-${i}`, userKey: user, kind: 'PAIRED', requestId: `flow-${i}`, functionId: 'fn', runtime: 'node20', sizeClass: 'L', priority: 3, eventTime: at, ingestedAt: at,
      metrics: { durationMs: 1000, cpuMs: 500, cpuCores: 2, memoryPeakMb: 300, ioBytes: 0, netBytes: 0, coldStart: null, startLatencyMs: 0 },
    });
    try {
      const events = [ev(1, T0 + 1000), ev(2, T0 + 30_000), ev(3, T0 + 61_000)]; // the third closes window [T0, T0+60 s)
      await stack.client.producer.send(Topics.execEventNormalized, events.map((e) => ({ key: e.userKey, value: e })));
      const outcomes = await stack.read(Topics.poolOutcomeReported, (os) => os.some((o) => o.poolId === 'node20/L'));
      expect(outcomes.find((o) => o.poolId === 'node20/L')).toMatchObject({ windowStart: T0, windowEnd: T0 + 60_000, requests: 2, coldStarts: 1, warmHits: 1, coldLatencyMsSum: 2500, queued: 0 });
      const statuses = await stack.read(Topics.poolStatusReported, (ss) => ss.some((x) => x.poolId === 'node20/L' && x.asOf === T0 + 60_000));
      expect(statuses.find((x) => x.poolId === 'node20/L' && x.asOf === T0 + 60_000)).toMatchObject({ idle: 1, active: 0, warming: 0 });
      expect(s.stats()).toMatchObject({ requests: 3, warmHits: 2, coldStarts: 1, baselineColdStarts: 1 }); // no commands: the baseline felt the same
    } finally {
      await s.close();
    }
  }, 60_000);

  it('answers FAILED when the platform keeps failing (retried with back-off first), and APPLIED once it recovers', async () => {
    const calls = new Map<string, number>();
    let failures = 0;
    const flaky = fakeAdapter('flaky', async (cmd) => {
      calls.set(cmd.commandId, (calls.get(cmd.commandId) ?? 0) + 1); // earlier tests' commands are replayed too (new group)
      if (cmd.commandId.startsWith('down') || (cmd.commandId === 'blip' && failures++ < 2)) throw new WarmcastError('HANDLER_TRANSIENT', 'platform API unavailable');
    });
    const delays: number[] = [];
    const s = await started('adapters-flaky', { adapter: flaky, sleep: async (ms) => { delays.push(ms); }, applyAttempts: 4 });
    try {
      await send(command({ commandId: 'down-1' }));
      await send(command({ commandId: 'blip' }));
      const rs = await stack.read(Topics.provisionCommandApplied, (all) => all.some((r) => r.commandId === 'blip'));
      expect(rs.find((r) => r.commandId === 'down-1')).toMatchObject({ status: 'FAILED', adapter: 'flaky', error: expect.stringMatching(/HANDLER_TRANSIENT: platform API unavailable/) });
      expect(rs.find((r) => r.commandId === 'blip')).toMatchObject({ status: 'APPLIED' });
      expect(delays).toEqual([100, 200, 400, 100, 200]); // 3 waits before FAILED, 2 before the blip recovered
      expect([calls.get('down-1'), calls.get('blip')]).toEqual([4, 3]);
      expect(s.stats()).toMatchObject({ failed: 1, applyRetries: 5 });
    } finally {
      await s.close();
    }
  }, 60_000);

  it('answers FAILED without calling the platform while the breaker is open, and closes the adapter on close()', async () => {
    const calls: string[] = [];
    const down = fakeAdapter('down', async (cmd) => { calls.push(cmd.commandId); throw new WarmcastError('TIMEOUT', 'platform API timed out'); });
    // Trip after 1 failed call; stay open for the whole test.
    const s = await started('adapters-open', { adapter: down, sleep: async () => {}, applyAttempts: 3, breaker: { volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 600_000 } });
    try {
      await send(command({ commandId: 'open-0' })); // trips the breaker (if replayed earlier commands have not already)
      await stack.read(Topics.provisionCommandApplied, (all) => all.some((r) => r.commandId === 'open-0' && r.adapter === 'down'));
      await send(command({ commandId: 'open-1' }));
      const rs = await stack.read(Topics.provisionCommandApplied, (all) => all.some((r) => r.commandId === 'open-1' && r.adapter === 'down'));
      expect(rs.find((r) => r.commandId === 'open-1' && r.adapter === 'down')).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^CIRCUIT_OPEN: /) });
      expect(calls).not.toContain('open-1'); // never reached the platform
      expect(calls.filter((c) => c === 'open-0').length).toBeLessThanOrEqual(1); // no retry got through either
    } finally {
      await s.close();
    }
    expect(closed).toContain('down');
  }, 60_000);
});
