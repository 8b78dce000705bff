// The adapters service (shell): consumes provision.command.issued.v1 (and, for the simulator,
// exec.event.normalized.v1), applies commands through the adapter behind a circuit breaker, and
// publishes command results, pool status and pool outcomes. Start: rebuild the applied-id set from
// provision.command.applied.v1, then consume. Close (KitService): consumers stop, the adapter
// closes, the producer closes.
import { KitService, Topics, createBreaker, createLogger, isRetriable } from '@warmcast/kit';
import type { BreakerOptions, CommandResultInput, KitConfig, Logger, NormalizedEvent, ProvisionCommand } from '@warmcast/kit';
import type { AdapterReports, ApplyOutcome, HypervisorAdapter } from './adapter.ts';
import { SimulatorAdapter } from './simulator-adapter.ts';
import type { SimulatorOptions } from './core/params.ts';
import { readAppliedResults } from './applied-log.ts';
import { StepPublisher } from './step-publisher.ts';

export interface AdapterServiceOptions {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** 'simulator' (default) or any HypervisorAdapter (tests pass a failing one). */
  readonly adapter?: 'simulator' | HypervisorAdapter;
  readonly simulator?: SimulatorOptions;
  /** Simulator only: also run the same requests without commands and report baseline* in stats(). Default true. */
  readonly baseline?: boolean;
  /** Consume exec.event.normalized.v1 (only when the adapter has observe). Default true. */
  readonly consumeRequests?: boolean;
  /** Rebuild the applied-id set from provision.command.applied.v1 at start. Default true. */
  readonly rebuildApplied?: boolean;
  /** Attempts of a retriable platform failure before the command is answered FAILED (default 4: waits 100, 200, 400 ms). */
  readonly applyAttempts?: number;
  readonly applyRetryBaseMs?: number;
  readonly breaker?: BreakerOptions;
  /** Injected so tests do not sleep on back-off. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface AdapterService {
  readonly log: Logger;
  readonly adapter: HypervisorAdapter;
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): Record<string, number>;
}

export function createAdapterService(options: AdapterServiceOptions): AdapterService {
  const { config } = options;
  const log = options.logger ?? createLogger({ name: config.clientId, level: config.logLevel });
  const adapter = options.adapter === undefined || options.adapter === 'simulator' ? new SimulatorAdapter(options.simulator ?? {}, options.baseline !== false) : options.adapter;
  const attempts = options.applyAttempts ?? 4;
  const baseMs = options.applyRetryBaseMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const breaker = createBreaker(`adapter-${adapter.name}`, (cmd: ProvisionCommand) => adapter.apply(cmd), options.breaker);
  const counters = { failed: 0, applyRetries: 0, published: 0, rebuiltIds: 0 };
  const topics = [Topics.provisionCommandIssued, Topics.provisionCommandApplied, Topics.poolStatusReported, Topics.poolOutcomeReported, Topics.execEventNormalized];
  const kit = new KitService({ config, logger: log, registerTopics: topics });

  const publish = async (reports: AdapterReports, result?: CommandResultInput): Promise<void> => {
    if (result !== undefined) await kit.producer.send(Topics.provisionCommandApplied, [{ key: result.poolId, value: result }]);
    if (reports.statuses.length > 0) await kit.producer.send(Topics.poolStatusReported, reports.statuses.map((s) => ({ key: s.poolId, value: s })));
    if (reports.outcomes.length > 0) await kit.producer.send(Topics.poolOutcomeReported, reports.outcomes.map((o) => ({ key: o.poolId, value: o })));
    counters.published += (result === undefined ? 0 : 1) + reports.statuses.length + reports.outcomes.length;
  };

  type Entry = { readonly reports: AdapterReports; readonly result?: CommandResultInput };
  const steps = new StepPublisher<Entry>((e) => publish(e.reports, e.result));
  const position = (m: { topic: string; partition: number; offset: string }): string => `${m.topic}/${m.partition}/${m.offset}`;

  const applyWithRetry = async (cmd: ProvisionCommand, clog: Logger): Promise<ApplyOutcome> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await breaker.call(cmd);
      } catch (err) {
        const retriable = isRetriable(err);
        if (!retriable || attempt >= attempts) {
          counters.failed += 1;
          clog.warn({ err, attempt, commandId: cmd.commandId }, 'command failed on the platform; answering FAILED');
          const text = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
          return { result: { commandId: cmd.commandId, poolId: cmd.poolId, status: 'FAILED', adapter: adapter.name, appliedAt: cmd.issuedAt, error: text }, statuses: [], outcomes: [] };
        }
        counters.applyRetries += 1;
        const delay = baseMs * 2 ** (attempt - 1);
        clog.info({ attempt, delayMs: delay, commandId: cmd.commandId }, 'platform failure; retrying');
        await sleep(delay);
      }
    }
  };

  kit.consume(Topics.provisionCommandIssued, async (msg, { log: clog }) => {
    const cmd = msg.value;
    const entry = await steps.run(position(msg), async () => {
      const outcome = await applyWithRetry(cmd, clog);
      return { reports: outcome, result: outcome.result };
    });
    clog.debug({ commandId: cmd.commandId, kind: cmd.kind, poolId: cmd.poolId, status: entry.result?.status }, 'command answered');
  });

  const observe = adapter.observe?.bind(adapter);
  if (observe !== undefined && options.consumeRequests !== false) {
    kit.consume(Topics.execEventNormalized, async (msg) => {
      await steps.run(position(msg), async () => ({ reports: await observe(msg.value as NormalizedEvent) }));
    }, { groupId: `${config.groupId}.requests` });
  }

  // Runs before the consumers start (sink stage) and closes after they stopped.
  kit.addSink({
    name: 'adapter',
    start: async () => {
      if (options.rebuildApplied === false) return;
      const results = await readAppliedResults(kit, adapter.name);
      adapter.remember(results);
      counters.rebuiltIds = results.length;
      log.info({ results: results.length }, 'applied-id set rebuilt from provision.command.applied.v1');
    },
    close: async () => {
      breaker.shutdown();
      await adapter.close();
    },
  });

  return {
    log,
    adapter,
    start: () => kit.start(),
    close: () => kit.close(),
    stats: () => {
      const t = adapter.totals();
      const b = adapter.baselineTotals?.() ?? null;
      const baseline: Record<string, number> = b === null ? {} : {
        baselineColdStarts: b.coldStarts,
        baselineColdStartPct: b.requests === 0 ? 0 : (100 * b.coldStarts) / b.requests,
        baselineQueued: b.queued,
        baselineIdleVmMinutes: b.idleVmSeconds / 60,
        baselineCost: b.cost,
      };
      return {
        requests: t.requests,
        warmHits: t.warmHits,
        coldStarts: t.coldStarts,
        coldStartPct: t.requests === 0 ? 0 : (100 * t.coldStarts) / t.requests,
        coldLatencyMsMean: t.coldStarts === 0 ? 0 : t.coldLatencyMsSum / t.coldStarts,
        queued: t.queued,
        idleVmMinutes: t.idleVmSeconds / 60,
        busyVmMinutes: t.busyVmSeconds / 60,
        cost: t.cost,
        spotInterruptions: t.spotInterruptions,
        commandsApplied: t.commandsApplied,
        duplicates: t.duplicates,
        dryRuns: t.dryRuns,
        rejected: t.rejected,
        failed: counters.failed,
        applyRetries: counters.applyRetries,
        lateInputs: t.lateInputs,
        lateMsMax: t.lateMsMax,
        rebuiltIds: counters.rebuiltIds,
        published: counters.published,
        pools: t.pools,
        vms: t.vms,
        ...baseline,
      };
    },
  };
}
