// The VM-pool simulator (pure core, event time only). Inputs: provisioning commands and requests,
// each carrying an event time; simulated time is the max event time seen so far, and every timer
// (boot done, work done, keep-alive expiry, spot reclaim, window end) up to it fires in time order
// before the input is applied. Out-of-order tolerance: none is buffered; an input older than the
// current time is applied at the current time (counted in totals().lateInputs), so its error is
// bounded by the skew between input partitions. Outputs are returned, never sent: command results,
// pool status (on change, at most once per statusMinIntervalMs per pool, and at every window end)
// and per-pool outcomes at every window end. docs/simulator.md describes the model.
import type { CommandResult, CommandResultInput, CommandStatus, PoolStatusInput, ProvisionCommand, SizeClass } from '@warmcast/kit';
import type { AdapterReports, AdapterTotals } from '../adapter.ts';
import { CLASS_RESOURCES, basePoolId, isSizeClass, userPoolId } from './pool-id.ts';
import type { FixedSizeClass, PoolRef } from './pool-id.ts';
import { costPerMs } from './params.ts';
import type { SimulatorParams } from './params.ts';
import { Prng } from './prng.ts';
import { TimerHeap } from './timers.ts';
import type { Timer } from './timers.ts';
import { accrue, alive, countState, emptyWindow, enqueue, outcomeOf, statusOf, windowHasActivity } from './pool.ts';
import type { PoolState, QueuedRequest, Vm, VmState, WindowCounters } from './pool.ts';
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
  private readonly prng: Prng;
  private readonly timers = new TimerHeap();
  private readonly pools = new Map<string, PoolState>();
  private readonly vms = new Map<string, Vm>();
  private readonly seenCommands = new Set<string>();
  private readonly seenRequests = new Map<string, true>();
  /** Base pools whose queue is not empty. */
  private readonly queuedBases = new Set<string>();
  /** Pools whose counts changed since their last status. */
  private readonly dirty = new Set<PoolState>();
  private readonly totalsAcc: Totals = { ...emptyWindow(), queueWaitMsSum: 0, commandsApplied: 0, duplicates: 0, dryRuns: 0, rejected: 0, ignoredEvents: 0, lateInputs: 0 };
  private nowMs: number | null = null;
  private windowStart = 0;
  private vmSeq = 0;
  private reqSeq = 0;
  private outStatuses: PoolStatusInput[] = [];
  private outOutcomes: AdapterReports['outcomes'][number][] = [];

  constructor(params: SimulatorParams) {
    this.params = params;
    this.prng = new Prng(params.seed);
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
    if (cmd.vmId !== null && cmd.kind !== 'LAUNCH' && cmd.kind !== 'PRELOAD' && this.pools.get(cmd.poolId)?.vms.has(cmd.vmId) !== true) {
      this.totalsAcc.rejected += 1;
      return answer('REJECTED', `vm ${cmd.vmId} is not in pool ${cmd.poolId}`);
    }
    const pool = this.poolFor(checked.ref, cmd.pool.sizeClass);
    let note: string | null = null;
    switch (cmd.kind) {
      case 'LAUNCH':
      case 'PRELOAD': {
        const want = cmd.count ?? 0;
        const n = Math.min(want, Math.max(0, pool.capacity - alive(pool)));
        for (let i = 0; i < n; i++) this.launch(pool, 'command', t, cmd.kind === 'PRELOAD' ? cmd.preloadProfile : null);
        if (n < want) note = `capacity ${pool.capacity}: launched ${n} of ${want}`;
        break;
      }
      case 'TERMINATE':
        this.terminate(pool, cmd.vmId, cmd.count ?? 0, t);
        break;
      case 'RESIZE':
        for (const vm of cmd.vmId === null ? [...pool.vms.values()] : [this.vms.get(cmd.vmId)!]) this.resize(pool, vm, cmd.cpuCores ?? vm.cpuCores, cmd.memoryMb ?? vm.memoryMb, t);
        if (cmd.vmId === null && pool.ref.kind === 'var') {
          const res = CLASS_RESOURCES[isSizeClass(pool.sizeClass) ? pool.sizeClass : 'M'];
          pool.allocation = { cpuCores: cmd.cpuCores ?? pool.allocation?.cpuCores ?? res.cpuCores, memoryMb: cmd.memoryMb ?? pool.allocation?.memoryMb ?? res.memoryMb };
        }
        break;
      case 'MIGRATE': {
        const target = this.poolFor(checked.target!, cmd.pool.sizeClass);
        const moved = this.migrate(pool, target, cmd.vmId, cmd.count ?? 0, t);
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
    const q: QueuedRequest = { requestId: req.requestId, userKey: req.userKey, runtime: req.runtime, sizeClass: req.sizeClass, priority: req.priority, arrivalAt: t, seq: this.reqSeq++, durationMs: req.durationMs ?? this.params.defaultDurationMs };
    const placed = this.place(q, t);
    const count = (pool: PoolState, field: 'warmHits' | 'coldStarts' | 'queued'): void => {
      pool.window.requests += 1; this.totalsAcc.requests += 1;
      pool.window[field] += 1; this.totalsAcc[field] += 1;
    };
    if (placed === null) {
      const base = this.basePool(req.runtime, req.sizeClass);
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
    return [...this.pools.values()].map((p) => statusOf(p, this.params.adapter, t));
  }

  /** A pool's counts and VMs, for tests and the CLI. */
  pool(id: string): { readonly status: PoolStatusInput; readonly vms: readonly Readonly<Vm>[]; readonly queued: number } | undefined {
    const p = this.pools.get(id);
    return p === undefined ? undefined : { status: statusOf(p, this.params.adapter, this.nowMs ?? 0), vms: [...p.vms.values()], queued: p.queue.length };
  }

  totals(): AdapterTotals {
    return { ...this.totalsAcc, pools: this.pools.size, vms: this.vms.size };
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
      const next = this.timers.peek();
      const windowEnd = this.windowStart + this.params.windowMs;
      // A window end fires before timers at the same instant: windows are [start, end).
      if (windowEnd <= target && (next === undefined || windowEnd <= next.at)) { this.closeWindow(windowEnd); continue; }
      if (next === undefined || next.at > target) break;
      this.timers.pop();
      this.nowMs = next.at;
      this.fire(next);
    }
    this.nowMs = target;
    return target;
  }

  private end(): AdapterReports {
    const t = this.nowMs ?? 0;
    for (const p of this.dirty) {
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
    this.dirty.delete(p);
  }

  /** Counts changed: a status is due (at most once per statusMinIntervalMs). */
  private touch(p: PoolState): void {
    this.dirty.add(p);
  }

  private closeWindow(end: number): void {
    this.nowMs = end;
    for (const p of this.pools.values()) {
      accrue(p, end, this.totalsAcc);
      if (windowHasActivity(p)) this.outOutcomes.push(outcomeOf(p, this.params.adapter, this.windowStart, end));
      if (alive(p) > 0 || this.dirty.has(p)) this.emitStatus(p, end);
      p.window = emptyWindow();
    }
    this.windowStart = end;
  }

  private fire(timer: Timer): void {
    const vm = this.vms.get(timer.vmId);
    if (vm === undefined || vm.state === 'stopped') return;
    const t = timer.at;
    const pool = this.pools.get(vm.poolId)!;
    if (timer.kind === 'spot') {
      if (vm.spotAt !== t) return;
      pool.window.spotInterruptions += 1;
      this.totalsAcc.spotInterruptions += 1;
      this.stop(pool, vm, t); // work running on it is lost (not re-run: see docs/simulator.md)
      this.requeue(vm); // a request still waiting for its boot waits again
      this.pump(t);
      return;
    }
    if (timer.version !== vm.version) return;
    if (timer.kind === 'expire') { if (vm.state === 'idle') { this.stop(pool, vm, t); this.pump(t); } return; }
    if (timer.kind === 'ready' && vm.claim !== null) { const d = vm.claim.durationMs; vm.claim = null; this.startWork(pool, vm, d, t); return; }
    if (timer.kind === 'done' && vm.drain) { this.stop(pool, vm, t); this.pump(t); return; }
    this.becomeIdle(pool, vm, t);
    this.pump(t);
  }

  // ---- VM transitions (every count change goes through setState, which accrues first) ----

  private setState(pool: PoolState, vm: Vm, state: VmState, t: number): void {
    accrue(pool, t, this.totalsAcc);
    countState(pool, vm.state, -1);
    countState(pool, state, +1);
    vm.state = state;
    vm.version += 1;
    this.touch(pool);
  }

  private launch(pool: PoolState, origin: Vm['origin'], t: number, profile: string | null): Vm {
    const cls = CLASS_RESOURCES[isSizeClass(pool.sizeClass) ? pool.sizeClass : 'M'];
    const res = pool.allocation === null ? cls : { ...cls, ...pool.allocation };
    const bootMs = this.prng.lognormalMs(this.params.boot) + (profile === null ? 0 : this.prng.lognormalMs(this.params.preload));
    const vm: Vm = { id: `vm-${++this.vmSeq}`, poolId: pool.ref.id, origin, state: 'stopped', cpuCores: res.cpuCores, memoryMb: res.memoryMb, gpus: res.gpus, readyAt: t + bootMs, claim: null, drain: false, spotAt: null, costPerMs: 0, version: 0, profile };
    this.vms.set(vm.id, vm);
    this.enter(pool, vm, t);
    this.setState(pool, vm, 'booting', t);
    this.timers.push({ at: vm.readyAt, kind: 'ready', vmId: vm.id, version: vm.version });
    return vm;
  }

  /** Adds a VM to a pool: price by the pool's market, spot reclaim clock when it is a spot pool. */
  private enter(pool: PoolState, vm: Vm, t: number): void {
    accrue(pool, t, this.totalsAcc);
    vm.poolId = pool.ref.id;
    vm.costPerMs = this.priceOf(pool, vm);
    pool.costPerMs += vm.costPerMs;
    pool.vms.set(vm.id, vm);
    vm.spotAt = pool.ref.market === 'spot' ? t + this.prng.exponentialMs(this.params.spotHazardPerHour) : null;
    if (vm.spotAt !== null && Number.isFinite(vm.spotAt)) this.timers.push({ at: vm.spotAt, kind: 'spot', vmId: vm.id, version: vm.version });
    countState(pool, vm.state, +1);
    this.touch(pool);
  }

  private leave(pool: PoolState, vm: Vm, t: number): void {
    accrue(pool, t, this.totalsAcc);
    countState(pool, vm.state, -1);
    pool.costPerMs -= vm.costPerMs;
    pool.vms.delete(vm.id);
    this.touch(pool);
  }

  private stop(pool: PoolState, vm: Vm, t: number): void {
    this.leave(pool, vm, t);
    vm.state = 'stopped';
    vm.version += 1;
    this.vms.delete(vm.id);
  }

  private startWork(pool: PoolState, vm: Vm, durationMs: number, t: number): void {
    this.setState(pool, vm, 'busy', t);
    this.timers.push({ at: t + durationMs, kind: 'done', vmId: vm.id, version: vm.version });
  }

  private becomeIdle(pool: PoolState, vm: Vm, t: number): void {
    this.setState(pool, vm, 'idle', t);
    const limit = vm.origin === 'cold' ? this.params.keepAliveMs : this.params.managedIdleLimitMs;
    this.timers.push({ at: t + limit, kind: 'expire', vmId: vm.id, version: vm.version });
  }

  // ---- commands ----

  private terminate(pool: PoolState, vmId: string | null, count: number, t: number): void {
    const rank: Record<VmState, number> = { idle: 0, booting: 1, busy: 2, stopped: 3 };
    const victims = vmId !== null ? [pool.vms.get(vmId)!] : [...pool.vms.values()].filter((v) => !v.drain).sort((a, b) => rank[a.state] - rank[b.state]).slice(0, count);
    for (const vm of victims) {
      if (vm.state === 'busy') { vm.drain = true; continue; } // finishes its work, then stops
      this.stop(pool, vm, t);
      this.requeue(vm);
    }
  }

  /** A request that waited for a VM that went away before booting waits again (queue of its base pool, original arrival). */
  private requeue(vm: Vm): void {
    const claim = vm.claim;
    if (claim === null) return;
    vm.claim = null;
    const base = this.basePool(claim.runtime, claim.sizeClass);
    enqueue(base.queue, claim);
    this.queuedBases.add(base.ref.id);
  }

  private resize(pool: PoolState, vm: Vm, cpuCores: number, memoryMb: number, t: number): void {
    // Hot resize (balloon / CPU hotplug): instant, no restart; only the price changes.
    accrue(pool, t, this.totalsAcc);
    pool.costPerMs -= vm.costPerMs;
    vm.cpuCores = cpuCores;
    vm.memoryMb = memoryMb;
    vm.costPerMs = this.priceOf(pool, vm);
    pool.costPerMs += vm.costPerMs;
    this.touch(pool);
  }

  private priceOf(pool: PoolState, vm: Vm): number {
    if (pool.ref.market === 'reserved') return 0; // the reservation is paid by the pool
    return costPerMs(this.params.prices, vm.cpuCores, vm.memoryMb, vm.gpus) * this.params.marketMultiplier[pool.ref.market];
  }

  private migrate(from: PoolState, to: PoolState, vmId: string | null, count: number, t: number): number {
    const movable = (v: Vm): boolean => v.state === 'idle' || (v.state === 'booting' && v.claim === null);
    const candidates = vmId !== null ? [from.vms.get(vmId)!].filter(movable) : [...from.vms.values()].filter(movable).sort((a, b) => (a.state === 'idle' ? 0 : 1) - (b.state === 'idle' ? 0 : 1)).slice(0, count);
    let moved = 0;
    for (const vm of candidates) {
      if (alive(to) >= to.capacity) break;
      this.leave(from, vm, t);
      // A VM takes the size of the pool it joins: the class of a fixed pool, the last whole-pool
      // RESIZE of a variable one (or keeps its own when there was none).
      const res = to.ref.kind !== 'var' ? CLASS_RESOURCES[to.ref.sizeClass] : to.allocation;
      if (res !== null) { vm.cpuCores = res.cpuCores; vm.memoryMb = res.memoryMb; }
      if (to.ref.kind !== 'var') vm.gpus = CLASS_RESOURCES[to.ref.sizeClass].gpus;
      this.enter(to, vm, t);
      moved += 1;
    }
    return moved;
  }

  // ---- requests ----

  /** Pools that can serve a request, best first: the user's sub-pool, reserved, on-demand, spot, variable. */
  private candidates(q: Pick<QueuedRequest, 'userKey' | 'runtime' | 'sizeClass'>): PoolState[] {
    const base = basePoolId(q.runtime, q.sizeClass);
    const ids = [userPoolId(q.runtime, q.sizeClass, q.userKey), `${base}/reserved`, base, `${base}/spot`, `${q.runtime}/var`];
    const out: PoolState[] = [];
    for (const id of ids) {
      const p = this.pools.get(id);
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
        if (v.state === 'idle' && fits(p, v)) { this.startWork(p, v, q.durationMs, t); return { pool: p, latencyMs: t - q.arrivalAt, warm: true }; }
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
    const base = this.basePool(q.runtime, q.sizeClass);
    if (alive(base) >= base.capacity) return null;
    const vm = this.launch(base, 'cold', t, null);
    vm.claim = q;
    return { pool: base, latencyMs: vm.readyAt - q.arrivalAt, warm: false };
  }

  /** Serves waiting requests, head of each queue first, while VMs or capacity allow. */
  private pump(t: number): void {
    for (const id of [...this.queuedBases]) {
      const base = this.pools.get(id)!;
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

  private basePool(runtime: string, sizeClass: FixedSizeClass): PoolState {
    return this.poolFor({ kind: 'fixed', id: basePoolId(runtime, sizeClass), runtime, sizeClass, market: 'on-demand' }, sizeClass);
  }

  private poolFor(ref: PoolRef, commandClass: SizeClass): PoolState {
    let p = this.pools.get(ref.id);
    if (p !== undefined) return p;
    const sizeClass: SizeClass = ref.kind === 'var' ? (isSizeClass(commandClass) ? commandClass : 'M') : ref.sizeClass;
    const t = this.nowMs ?? 0;
    const capacity = this.params.capacityByPool[ref.id] ?? this.params.capacity[ref.market];
    p = { ref, sizeClass, capacity, vms: new Map(), booting: 0, idle: 0, busy: 0, costPerMs: 0, accruedAt: t, window: emptyWindow(), lastStatusAt: null, allocation: null, queue: [] };
    if (ref.market === 'reserved' && ref.kind === 'fixed') {
      // Reserved capacity is paid whether used or not: capacity x class price x 0.6, from creation on.
      const res = CLASS_RESOURCES[ref.sizeClass];
      p.costPerMs = capacity * costPerMs(this.params.prices, res.cpuCores, res.memoryMb, res.gpus) * this.params.marketMultiplier.reserved;
    }
    this.pools.set(ref.id, p);
    this.touch(p);
    return p;
  }
}
