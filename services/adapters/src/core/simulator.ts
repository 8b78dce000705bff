// The VM-pool simulator (pure core, event time only). Inputs: provisioning commands and requests,
// each carrying an event time; simulated time is the max event time seen so far, and every timer
// (boot done, work done, keep-alive expiry, spot reclaim, window end) up to it fires in time order
// before the input is applied. Out-of-order tolerance: none is buffered; an input older than the
// current time is applied at the current time (counted in totals().lateInputs, worst lateness in
// lateMsMax), so its error is bounded by the skew between input partitions; a late request's
// duration is shortened by its lateness (the part that would have run already). Outputs are returned, never sent: command results,
// pool status (on change, at most once per statusMinIntervalMs per pool, and at every window end)
// and per-pool outcomes at every window end. docs/simulator.md describes the model.
import type { CommandResult, CommandResultInput, CommandStatus, PoolStatusInput, ProvisionCommand } from '@warmcast/kit';
import type { AdapterReports, AdapterTotals } from '../adapter.ts';
import { CLASS_RESOURCES, basePoolId, isSizeClass, userPoolId } from './pool-id.ts';
import type { FixedSizeClass } from './pool-id.ts';
import type { SimulatorParams } from './params.ts';
import type { Timer } from './timers.ts';
import { accrue, alive, emptyWindow, enqueue, outcomeOf, statusOf, windowHasActivity } from './pool.ts';
import type { PoolState, QueuedRequest, Vm, VmState, WindowCounters } from './pool.ts';
import { Fleet } from './fleet.ts';
import { checkCommand } from './command-check.ts';

/** A request as the simulator needs it (the shell maps NormalizedEvent onto this). */
export interface SimRequest {
  readonly requestId: string;
  readonly userKey: string;
  readonly runtime: string;
  readonly sizeClass: FixedSizeClass;
  /** 0-9, higher first when queued. */
  readonly priority: number;
  readonly eventTime: number;
  /** null: params.defaultDurationMs. */
  readonly durationMs: number | null;
}

export type Placement = 'warm' | 'cold' | 'queued' | 'duplicate';

export interface CommandStep extends AdapterReports { readonly result: CommandResultInput }
export interface RequestStep extends AdapterReports { readonly placement: Placement; readonly latencyMs: number; readonly poolId: string | null }

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Totals = Mutable<Omit<AdapterTotals, 'pools' | 'vms'>> & WindowCounters;

export class Simulator {
  readonly params: SimulatorParams;
  private readonly fleet: Fleet;
  private readonly seenCommands = new Set<string>();
  private readonly seenRequests = new Map<string, true>();
  /** Base pools whose queue is not empty. */
  private readonly queuedBases = new Set<string>();
  private readonly totalsAcc: Totals = { ...emptyWindow(), queueWaitMsSum: 0, commandsApplied: 0, duplicates: 0, dryRuns: 0, rejected: 0, ignoredEvents: 0, lateInputs: 0, lateMsMax: 0 };
  private nowMs: number | null = null;
  private windowStart = 0;
  private reqSeq = 0;
  private outStatuses: PoolStatusInput[] = [];
  private outOutcomes: AdapterReports['outcomes'][number][] = [];

  constructor(params: SimulatorParams) {
    this.params = params;
    this.fleet = new Fleet(params, this.totalsAcc);
  }

  get now(): number | null {
    return this.nowMs;
  }

  /** Earlier answers (e.g. read back from provision.command.applied.v1): those ids are DUPLICATE from now on. FAILED is not an answer. */
  remember(results: Iterable<Pick<CommandResult, 'commandId' | 'status'>>): void {
    for (const r of results) if (r.status !== 'FAILED') this.seenCommands.add(r.commandId);
  }

  command(cmd: ProvisionCommand): CommandStep {
    const t = this.begin(cmd.issuedAt);
    const answer = (status: CommandStatus, error: string | null = null): CommandStep => {
      if (status !== 'DUPLICATE') this.seenCommands.add(cmd.commandId);
      return { result: { commandId: cmd.commandId, poolId: cmd.poolId, status, adapter: this.params.adapter, appliedAt: t, error }, ...this.end() };
    };
    if (this.seenCommands.has(cmd.commandId)) { this.totalsAcc.duplicates += 1; return answer('DUPLICATE'); }
    const checked = checkCommand(cmd);
    if (!checked.ok) { this.totalsAcc.rejected += 1; return answer('REJECTED', checked.error); }
    if (cmd.dryRun) { this.totalsAcc.dryRuns += 1; return answer('DRY_RUN'); }
    if (cmd.vmId !== null && cmd.kind !== 'LAUNCH' && cmd.kind !== 'PRELOAD' && this.fleet.pools.get(cmd.poolId)?.vms.has(cmd.vmId) !== true) {
      this.totalsAcc.rejected += 1;
      return answer('REJECTED', `vm ${cmd.vmId} is not in pool ${cmd.poolId}`);
    }
    const pool = this.fleet.poolFor(checked.ref, cmd.pool.sizeClass, t);
    let note: string | null = null;
    switch (cmd.kind) {
      case 'LAUNCH':
      case 'PRELOAD': {
        const want = cmd.count ?? 0;
        const n = Math.min(want, Math.max(0, pool.capacity - alive(pool)));
        for (let i = 0; i < n; i++) this.fleet.launch(pool, 'command', t, cmd.kind === 'PRELOAD' ? cmd.preloadProfile : null);
        if (n < want) note = `capacity ${pool.capacity}: launched ${n} of ${want}`;
        break;
      }
      case 'TERMINATE':
        this.terminate(pool, cmd.vmId, cmd.count ?? 0, t);
        break;
      case 'RESIZE':
        for (const vm of cmd.vmId === null ? [...pool.vms.values()] : [this.fleet.vms.get(cmd.vmId)!]) this.fleet.resize(pool, vm, cmd.cpuCores ?? vm.cpuCores, cmd.memoryMb ?? vm.memoryMb, t);
        if (cmd.vmId === null && pool.ref.kind === 'var') {
          const res = CLASS_RESOURCES[isSizeClass(pool.sizeClass) ? pool.sizeClass : 'M'];
          pool.allocation = { cpuCores: cmd.cpuCores ?? pool.allocation?.cpuCores ?? res.cpuCores, memoryMb: cmd.memoryMb ?? pool.allocation?.memoryMb ?? res.memoryMb };
        }
        break;
      case 'MIGRATE': {
        const target = this.fleet.poolFor(checked.target!, cmd.pool.sizeClass, t);
        const moved = this.fleet.migrate(pool, target, cmd.vmId, cmd.count ?? 0, t);
        const want = cmd.vmId === null ? cmd.count ?? 0 : 1;
        if (moved < want) note = `migrated ${moved} of ${want} (busy VMs stay; target capacity ${target.capacity})`;
        break;
      }
      case 'UNKNOWN':
        break; // unreachable: checkCommand rejects it
    }
    this.pump(t);
    this.totalsAcc.commandsApplied += 1;
    return answer('APPLIED', note);
  }

  request(req: SimRequest): RequestStep {
    const t = this.begin(req.eventTime);
    if (this.seenRequests.has(req.requestId)) {
      this.totalsAcc.ignoredEvents += 1;
      return { placement: 'duplicate', latencyMs: 0, poolId: null, ...this.end() };
    }
    this.seenRequests.set(req.requestId, true);
    if (this.seenRequests.size > this.params.requestMemory) this.seenRequests.delete(this.seenRequests.keys().next().value!);
    // A late request (PAIRED events come after their metrics, so roughly one duration late) is
    // placed now, and runs only the part of its duration that is not over yet: a warm one ends at
    // its true end, eventTime + duration; a cold one runs that remainder after its boot.
    const lateMs = t - req.eventTime;
    if (lateMs > this.totalsAcc.lateMsMax) this.totalsAcc.lateMsMax = lateMs;
    const durationMs = Math.max(0, (req.durationMs ?? this.params.defaultDurationMs) - lateMs);
    const q: QueuedRequest = { requestId: req.requestId, userKey: req.userKey, runtime: req.runtime, sizeClass: req.sizeClass, priority: req.priority, arrivalAt: t, seq: this.reqSeq++, durationMs };
    const placed = this.place(q, t);
    const count = (pool: PoolState, field: 'warmHits' | 'coldStarts' | 'queued'): void => {
      pool.window.requests += 1; this.totalsAcc.requests += 1;
      pool.window[field] += 1; this.totalsAcc[field] += 1;
    };
    if (placed === null) {
      const base = this.fleet.basePool(req.runtime, req.sizeClass, t);
      enqueue(base.queue, q);
      this.queuedBases.add(base.ref.id);
      count(base, 'queued');
      return { placement: 'queued', latencyMs: 0, poolId: base.ref.id, ...this.end() };
    }
    count(placed.pool, placed.warm ? 'warmHits' : 'coldStarts');
    if (!placed.warm) { placed.pool.window.coldLatencyMsSum += placed.latencyMs; this.totalsAcc.coldLatencyMsSum += placed.latencyMs; }
    return { placement: placed.warm ? 'warm' : 'cold', latencyMs: placed.latencyMs, poolId: placed.pool.ref.id, ...this.end() };
  }

  /** Moves time forward without input (e.g. end of a replay) and returns what became due. */
  advanceTo(t: number): AdapterReports {
    this.begin(t);
    return this.end();
  }

  statuses(): PoolStatusInput[] {
    const t = this.nowMs ?? 0;
    return [...this.fleet.pools.values()].map((p) => statusOf(p, this.params.adapter, t));
  }

  /** A pool's counts and VMs, for tests and the CLI. */
  pool(id: string): { readonly status: PoolStatusInput; readonly vms: readonly Readonly<Vm>[]; readonly queued: number } | undefined {
    const p = this.fleet.pools.get(id);
    return p === undefined ? undefined : { status: statusOf(p, this.params.adapter, this.nowMs ?? 0), vms: [...p.vms.values()], queued: p.queue.length };
  }

  totals(): AdapterTotals {
    return { ...this.totalsAcc, pools: this.fleet.pools.size, vms: this.fleet.vms.size };
  }

  // ---- time ----

  private begin(eventTime: number): number {
    if (this.nowMs === null) {
      this.nowMs = eventTime;
      this.windowStart = Math.floor(eventTime / this.params.windowMs) * this.params.windowMs;
    }
    if (eventTime < this.nowMs) this.totalsAcc.lateInputs += 1;
    const target = Math.max(this.nowMs, eventTime);
    for (;;) {
      const next = this.fleet.timers.peek();
      const windowEnd = this.windowStart + this.params.windowMs;
      // A window end fires before timers at the same instant: windows are [start, end).
      if (windowEnd <= target && (next === undefined || windowEnd <= next.at)) {
        this.closeWindow(windowEnd);
        this.skipEmptyWindows(Math.min(target, next?.at ?? target));
        continue;
      }
      if (next === undefined || next.at > target) break;
      this.fleet.timers.pop();
      this.nowMs = next.at;
      this.fire(next);
    }
    this.nowMs = target;
    return target;
  }

  private end(): AdapterReports {
    const t = this.nowMs ?? 0;
    for (const p of this.fleet.dirty) {
      if (p.lastStatusAt === null || t - p.lastStatusAt >= this.params.statusMinIntervalMs) this.emitStatus(p, t);
    }
    const out = { statuses: this.outStatuses, outcomes: this.outOutcomes };
    this.outStatuses = [];
    this.outOutcomes = [];
    return out;
  }

  private emitStatus(p: PoolState, t: number): void {
    this.outStatuses.push(statusOf(p, this.params.adapter, t));
    p.lastStatusAt = t;
    this.fleet.dirty.delete(p);
  }

  private closeWindow(end: number): void {
    this.nowMs = end;
    for (const p of this.fleet.pools.values()) {
      accrue(p, end, this.totalsAcc);
      if (windowHasActivity(p)) this.outOutcomes.push(outcomeOf(p, this.params.adapter, this.windowStart, end));
      if (alive(p) > 0 || this.fleet.dirty.has(p)) this.emitStatus(p, end);
      p.window = emptyWindow();
    }
    this.windowStart = end;
  }

  /**
   * With nothing alive and nothing paying (no VM, no reservation, no queue), the windows before
   * `until` are empty: jump to the window that contains it instead of closing each one (a gap of a
   * year in the input is 525 600 one-minute windows).
   */
  private skipEmptyWindows(until: number): void {
    for (const p of this.fleet.pools.values()) if (alive(p) > 0 || p.costPerMs > 0 || p.queue.length > 0) return;
    const start = Math.floor(until / this.params.windowMs) * this.params.windowMs;
    if (start > this.windowStart) {
      for (const p of this.fleet.pools.values()) p.accruedAt = start;
      this.windowStart = start;
    }
  }

  private fire(timer: Timer): void {
    const vm = this.fleet.vms.get(timer.vmId);
    if (vm === undefined || vm.state === 'stopped') return;
    const t = timer.at;
    const pool = this.fleet.pools.get(vm.poolId)!;
    if (timer.kind === 'spot') {
      if (vm.spotAt !== t) return;
      pool.window.spotInterruptions += 1;
      this.totalsAcc.spotInterruptions += 1;
      this.fleet.stop(pool, vm, t); // work running on it is lost (not re-run: see docs/simulator.md)
      this.requeue(vm, t); // a request still waiting for its boot waits again
      this.pump(t);
      return;
    }
    if (timer.version !== vm.version) return;
    if (timer.kind === 'expire') { if (vm.state === 'idle') { this.fleet.stop(pool, vm, t); this.pump(t); } return; }
    if (timer.kind === 'ready' && vm.claim !== null) { const d = vm.claim.durationMs; vm.claim = null; this.fleet.startWork(pool, vm, d, t); return; }
    if (timer.kind === 'done' && vm.drain) { this.fleet.stop(pool, vm, t); this.pump(t); return; }
    this.fleet.becomeIdle(pool, vm, t);
    this.pump(t);
  }

  // ---- commands ----

  private terminate(pool: PoolState, vmId: string | null, count: number, t: number): void {
    const rank: Record<VmState, number> = { idle: 0, booting: 1, busy: 2, stopped: 3 };
    // A count-based TERMINATE scales in what the scaler launched. VMs a cold start brought up
    // are the platform's own keep-alive (origin 'cold') and expire on its timer: terminating
    // them made prediction-on worse than prediction-off whenever the forecast's target was
    // below what keep-alive would have held. A TERMINATE naming a vmId takes any VM.
    const victims = vmId !== null ? [pool.vms.get(vmId)!] : [...pool.vms.values()].filter((v) => !v.drain && v.origin === 'command').sort((a, b) => rank[a.state] - rank[b.state]).slice(0, count);
    for (const vm of victims) {
      if (vm.state === 'busy') { vm.drain = true; continue; } // finishes its work, then stops
      this.fleet.stop(pool, vm, t);
      this.requeue(vm, t);
    }
  }

  /** A request that waited for a VM that went away before booting waits again (queue of its base pool, original arrival). */
  private requeue(vm: Vm, t: number): void {
    const claim = vm.claim;
    if (claim === null) return;
    vm.claim = null;
    const base = this.fleet.basePool(claim.runtime, claim.sizeClass, t);
    enqueue(base.queue, claim);
    this.queuedBases.add(base.ref.id);
  }

  // ---- requests ----

  /** Pools that can serve a request, best first: the user's sub-pool, reserved, on-demand, spot, variable. */
  private candidates(q: Pick<QueuedRequest, 'userKey' | 'runtime' | 'sizeClass'>): PoolState[] {
    const base = basePoolId(q.runtime, q.sizeClass);
    const ids = [userPoolId(q.runtime, q.sizeClass, q.userKey), `${base}/reserved`, base, `${base}/spot`, `${q.runtime}/var`];
    const out: PoolState[] = [];
    for (const id of ids) {
      const p = this.fleet.pools.get(id);
      if (p !== undefined) out.push(p);
    }
    return out;
  }

  /** Warm hit on an idle VM, else a booting VM nobody waits for, else an on-demand launch; null = at capacity. */
  private place(q: QueuedRequest, t: number): { pool: PoolState; latencyMs: number; warm: boolean } | null {
    const need = CLASS_RESOURCES[q.sizeClass];
    const fits = (p: PoolState, v: Vm): boolean => !v.drain && (p.ref.kind !== 'var' || (v.cpuCores >= need.cpuCores && v.memoryMb >= need.memoryMb && v.gpus >= need.gpus));
    const pools = this.candidates(q);
    for (const p of pools) {
      for (const v of p.vms.values()) {
        if (v.state === 'idle' && fits(p, v)) { this.fleet.startWork(p, v, q.durationMs, t); return { pool: p, latencyMs: t - q.arrivalAt, warm: true }; }
      }
    }
    let best: { pool: PoolState; vm: Vm } | null = null;
    for (const p of pools) {
      for (const v of p.vms.values()) {
        if (v.state === 'booting' && v.claim === null && fits(p, v) && (best === null || v.readyAt < best.vm.readyAt)) best = { pool: p, vm: v };
      }
    }
    if (best !== null) {
      best.vm.claim = q;
      return { pool: best.pool, latencyMs: best.vm.readyAt - q.arrivalAt, warm: false };
    }
    const base = this.fleet.basePool(q.runtime, q.sizeClass, t);
    if (alive(base) >= base.capacity) return null;
    const vm = this.fleet.launch(base, 'cold', t, null);
    vm.claim = q;
    return { pool: base, latencyMs: vm.readyAt - q.arrivalAt, warm: false };
  }

  /** Serves waiting requests, head of each queue first, while VMs or capacity allow. */
  private pump(t: number): void {
    for (const id of [...this.queuedBases]) {
      const base = this.fleet.pools.get(id)!;
      while (base.queue.length > 0) {
        const head = base.queue[0]!;
        const placed = this.place(head, t);
        if (placed === null) break;
        base.queue.shift();
        this.totalsAcc.queueWaitMsSum += placed.latencyMs;
      }
      if (base.queue.length === 0) this.queuedBases.delete(id);
    }
  }
}
