// What a hypervisor adapter implements. The simulator (src/simulator-adapter.ts) is the default;
// Firecracker, Kubernetes or a cloud auto-scaling group follow the same contract:
//
//  - apply(command) is idempotent per commandId: the adapter answers APPLIED / DRY_RUN / REJECTED
//    the first time and DUPLICATE on every repeat. REJECTED (invalid command: kind UNKNOWN, a pool
//    id outside the convention, a missing count) is an answer, not an exception.
//  - apply throws only when the PLATFORM failed (API down, timeout): a WarmcastError whose retriable
//    flag says whether trying again may help. The shell runs apply behind a circuit breaker, retries
//    retriable failures with back-off, and answers FAILED when they keep failing: never dropped. A
//    FAILED command is not remembered as applied, so a later delivery tries again.
//  - observe(request) is optional: only adapters that model what users felt (the simulator) use the
//    request stream; a real platform reports that itself.
//  - remember(results) seeds the applied-id set from earlier results (provision.command.applied.v1),
//    so "at most once" survives a restart.
//  - Every call returns the reports due as a consequence (pool status on change, outcomes per window);
//    the shell publishes them before it commits the input's offset.
import type { CommandResult, CommandResultInput, NormalizedEvent, PoolOutcomeInput, PoolStatusInput, ProvisionCommand } from '@warmcast/kit';

export interface AdapterReports {
  readonly statuses: readonly PoolStatusInput[];
  readonly outcomes: readonly PoolOutcomeInput[];
}

export interface ApplyOutcome extends AdapterReports {
  readonly result: CommandResultInput;
}

/** Live totals for a summary line (what users felt, what it cost, what the adapter did). */
export interface AdapterTotals {
  readonly requests: number;
  readonly warmHits: number;
  readonly coldStarts: number;
  readonly coldLatencyMsSum: number;
  readonly queued: number;
  readonly queueWaitMsSum: number;
  readonly idleVmSeconds: number;
  readonly busyVmSeconds: number;
  readonly cost: number;
  readonly spotInterruptions: number;
  readonly commandsApplied: number;
  readonly duplicates: number;
  readonly dryRuns: number;
  readonly rejected: number;
  readonly ignoredEvents: number;
  readonly lateInputs: number;
  /** Largest lateness of an input behind the simulated time, ms. */
  readonly lateMsMax: number;
  readonly pools: number;
  readonly vms: number;
}

export interface HypervisorAdapter {
  /** Written into results, statuses and outcomes, e.g. simulator, firecracker. */
  readonly name: string;
  apply(command: ProvisionCommand): Promise<ApplyOutcome>;
  observe?(event: NormalizedEvent): Promise<AdapterReports>;
  /** Current status of every pool the adapter knows. */
  report(): Promise<readonly PoolStatusInput[]>;
  /** Earlier results of this adapter (any status; FAILED ones are not remembered as applied). */
  remember(results: Iterable<Pick<CommandResult, 'commandId' | 'status'>>): void;
  totals(): AdapterTotals;
  /** Optional: the same traffic with prediction switched off (the simulator's shadow run). */
  baselineTotals?(): AdapterTotals | null;
  close(): Promise<void>;
}

export const NO_REPORTS: AdapterReports = Object.freeze({ statuses: [], outcomes: [] });
