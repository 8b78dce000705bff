// The simulated fleet: pools, VMs and their timers, and every VM transition. Each change of a
// pool's counts goes through here and accrues the pool's VM-seconds and cost first (pool.ts), so
// time-integrated figures stay exact. Pure; the Simulator decides when and what to change.
import type { SizeClass } from '@warmcast/kit';
import { CLASS_RESOURCES, basePoolId, isSizeClass } from './pool-id.ts';
import type { FixedSizeClass, PoolRef } from './pool-id.ts';
import { costPerMs } from './params.ts';
import type { SimulatorParams } from './params.ts';
import { Prng } from './prng.ts';
import { TimerHeap } from './timers.ts';
import { accrue, alive, countState, emptyWindow } from './pool.ts';
import type { PoolState, Vm, VmState, WindowCounters } from './pool.ts';

export class Fleet {
  readonly pools = new Map<string, PoolState>();
  readonly vms = new Map<string, Vm>();
  readonly timers = new TimerHeap();
  /** Pools whose counts changed since their last status. */
  readonly dirty = new Set<PoolState>();
  private readonly prng: Prng;
  private vmSeq = 0;

  constructor(private readonly params: SimulatorParams, private readonly totals: WindowCounters) {
    this.prng = new Prng(params.seed);
  }

  setState(pool: PoolState, vm: Vm, state: VmState, t: number): void {
    accrue(pool, t, this.totals);
    countState(pool, vm.state, -1);
    countState(pool, state, +1);
    vm.state = state;
    vm.version += 1;
    this.touch(pool);
  }

  launch(pool: PoolState, origin: Vm['origin'], t: number, profile: string | null): Vm {
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
  enter(pool: PoolState, vm: Vm, t: number): void {
    accrue(pool, t, this.totals);
    vm.poolId = pool.ref.id;
    vm.costPerMs = this.priceOf(pool, vm);
    pool.costPerMs += vm.costPerMs;
    pool.vms.set(vm.id, vm);
    vm.spotAt = pool.ref.market === 'spot' ? t + this.prng.exponentialMs(this.params.spotHazardPerHour) : null;
    if (vm.spotAt !== null && Number.isFinite(vm.spotAt)) this.timers.push({ at: vm.spotAt, kind: 'spot', vmId: vm.id, version: vm.version });
    countState(pool, vm.state, +1);
    this.touch(pool);
  }

  leave(pool: PoolState, vm: Vm, t: number): void {
    accrue(pool, t, this.totals);
    countState(pool, vm.state, -1);
    pool.costPerMs -= vm.costPerMs;
    pool.vms.delete(vm.id);
    this.touch(pool);
  }

  stop(pool: PoolState, vm: Vm, t: number): void {
    this.leave(pool, vm, t);
    vm.state = 'stopped';
    vm.version += 1;
    this.vms.delete(vm.id);
  }

  startWork(pool: PoolState, vm: Vm, durationMs: number, t: number): void {
    this.setState(pool, vm, 'busy', t);
    this.timers.push({ at: t + durationMs, kind: 'done', vmId: vm.id, version: vm.version });
  }

  becomeIdle(pool: PoolState, vm: Vm, t: number): void {
    this.setState(pool, vm, 'idle', t);
    const limit = vm.origin === 'cold' ? this.params.keepAliveMs : this.params.managedIdleLimitMs;
    this.timers.push({ at: t + limit, kind: 'expire', vmId: vm.id, version: vm.version });
  }

  resize(pool: PoolState, vm: Vm, cpuCores: number, memoryMb: number, t: number): void {
    // Hot resize (balloon / CPU hotplug): instant, no restart; only the price changes.
    accrue(pool, t, this.totals);
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

  migrate(from: PoolState, to: PoolState, vmId: string | null, count: number, t: number): number {
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

  basePool(runtime: string, sizeClass: FixedSizeClass, t: number): PoolState {
    return this.poolFor({ kind: 'fixed', id: basePoolId(runtime, sizeClass), runtime, sizeClass, market: 'on-demand' }, sizeClass, t);
  }

  /** The pool with this id, created on first use (capacity from params; a reserved pool starts paying now). */
  poolFor(ref: PoolRef, commandClass: SizeClass, t: number): PoolState {
    let p = this.pools.get(ref.id);
    if (p !== undefined) return p;
    const sizeClass: SizeClass = ref.kind === 'var' ? (isSizeClass(commandClass) ? commandClass : 'M') : ref.sizeClass;
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
  /** Counts changed: a status is due (at most once per statusMinIntervalMs). */
  touch(p: PoolState): void {
    this.dirty.add(p);
  }
}
