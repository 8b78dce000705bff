// The simulator as a HypervisorAdapter: maps schema records onto the pure core and back.
import type { CommandResult, NormalizedEvent, PoolStatusInput, ProvisionCommand } from '@warmcast/kit';
import type { AdapterReports, AdapterTotals, ApplyOutcome, HypervisorAdapter } from './adapter.ts';
import { NO_REPORTS } from './adapter.ts';
import { Simulator } from './core/simulator.ts';
import type { SimRequest } from './core/simulator.ts';
import { simulatorParams } from './core/params.ts';
import type { SimulatorOptions } from './core/params.ts';
import { isSizeClass } from './core/pool-id.ts';

/** A request the simulator can place, or null (METRICS-only, no runtime, size class missing or UNKNOWN). */
export function toSimRequest(e: NormalizedEvent): SimRequest | null {
  if (e.kind !== 'REQUEST' && e.kind !== 'PAIRED') return null;
  if (e.runtime === null || e.runtime === '' || !isSizeClass(e.sizeClass)) return null;
  const priority = e.priority === null ? 0 : Math.min(9, Math.max(0, e.priority));
  return { requestId: e.requestId, userKey: e.userKey, runtime: e.runtime, sizeClass: e.sizeClass, priority, eventTime: e.eventTime, durationMs: e.metrics === null ? null : Math.max(0, e.metrics.durationMs) };
}

export class SimulatorAdapter implements HypervisorAdapter {
  readonly name: string;
  readonly sim: Simulator;
  /**
   * "Prediction switched off" on the same traffic, in the same process: a second simulator that
   * sees every request but no command (cold starts launch VMs, kept alive keepAliveMs). Its totals
   * are only reported in stats() (baseline*), never published. null when disabled.
   */
  readonly baseline: Simulator | null;
  private ignored = 0;

  constructor(options: SimulatorOptions = {}, withBaseline = true) {
    const params = simulatorParams(options);
    this.sim = new Simulator(params);
    this.baseline = withBaseline ? new Simulator(params) : null;
    this.name = params.adapter;
  }

  apply(command: ProvisionCommand): Promise<ApplyOutcome> {
    return Promise.resolve(this.sim.command(command));
  }

  observe(event: NormalizedEvent): Promise<AdapterReports> {
    const req = toSimRequest(event);
    if (req === null) { this.ignored += 1; return Promise.resolve(NO_REPORTS); }
    this.baseline?.request(req);
    const step = this.sim.request(req);
    return Promise.resolve({ statuses: step.statuses, outcomes: step.outcomes });
  }

  report(): Promise<readonly PoolStatusInput[]> {
    return Promise.resolve(this.sim.statuses());
  }

  remember(results: Iterable<Pick<CommandResult, 'commandId' | 'status'>>): void {
    this.sim.remember(results);
  }

  totals(): AdapterTotals {
    const t = this.sim.totals();
    return { ...t, ignoredEvents: t.ignoredEvents + this.ignored };
  }

  baselineTotals(): AdapterTotals | null {
    return this.baseline === null ? null : this.baseline.totals();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
