// One simulated pool: its VMs, state counts, cost rate, the current window's counters and the
// queue of requests waiting for capacity. Time-integrated figures (idle/busy VM-seconds, cost) are
// accrued lazily: before any count changes, accrue(pool, t) adds counts x (t - accruedAt).
import type { PoolOutcomeInput, PoolStatusInput, SizeClass } from '@warmcast/kit';
import type { FixedSizeClass, PoolRef } from './pool-id.ts';

export type VmState = 'booting' | 'idle' | 'busy' | 'stopped';

/** The request that waits for a booting VM (it runs as soon as the boot finishes). */
export type Claim = QueuedRequest;

export interface Vm {
  readonly id: string;
  poolId: string;
  /** cold = launched on demand by a request (keep-alive applies); command = launched by the scaler. */
  readonly origin: 'cold' | 'command';
  state: VmState;
  cpuCores: number;
  memoryMb: number;
  gpus: number;
  readyAt: number;
  /** Work to run as soon as the boot finishes (the request that waited for this boot). */
  claim: Claim | null;
  /** TERMINATE hit it while busy: stop after the current work instead of idling. */
  drain: boolean;
  /** Spot reclaim time, or null outside spot pools. */
  spotAt: number | null;
  /** Cost per ms while alive (0 inside a reserved pool: the reservation is paid by the pool). */
  costPerMs: number;
  version: number;
  profile: string | null;
}

export interface WindowCounters {
  requests: number;
  warmHits: number;
  coldStarts: number;
  coldLatencyMsSum: number;
  queued: number;
  idleVmSeconds: number;
  busyVmSeconds: number;
  cost: number;
  spotInterruptions: number;
}

export interface QueuedRequest {
  readonly requestId: string;
  readonly userKey: string;
  readonly runtime: string;
  readonly sizeClass: FixedSizeClass;
  readonly priority: number;
  readonly arrivalAt: number;
  readonly seq: number;
  readonly durationMs: number;
}

export interface PoolState {
  readonly ref: PoolRef;
  readonly sizeClass: SizeClass;
  readonly capacity: number;
  readonly vms: Map<string, Vm>;
  booting: number;
  idle: number;
  busy: number;
  /** Sum of alive VMs' costPerMs plus, for a reserved pool, the reservation itself. */
  costPerMs: number;
  accruedAt: number;
  window: WindowCounters;
  lastStatusAt: number | null;
  /** Variable pools: the size of the last whole-pool RESIZE, given to VMs that launch or migrate in later. */
  allocation: { cpuCores: number; memoryMb: number } | null;
  /** Requests waiting for capacity, highest priority first, then arrival (only on base pools). */
  readonly queue: QueuedRequest[];
}

export function emptyWindow(): WindowCounters {
  return { requests: 0, warmHits: 0, coldStarts: 0, coldLatencyMsSum: 0, queued: 0, idleVmSeconds: 0, busyVmSeconds: 0, cost: 0, spotInterruptions: 0 };
}

export function alive(pool: PoolState): number {
  return pool.booting + pool.idle + pool.busy;
}

/** Adds idle/busy VM-seconds and cost from accruedAt to t to the window and to the totals. pre: t >= accruedAt. */
export function accrue(pool: PoolState, t: number, totals: WindowCounters): void {
  const dt = t - pool.accruedAt;
  if (dt <= 0) return;
  const idle = (pool.idle * dt) / 1000;
  const busy = (pool.busy * dt) / 1000;
  const cost = pool.costPerMs * dt;
  pool.window.idleVmSeconds += idle;
  pool.window.busyVmSeconds += busy;
  pool.window.cost += cost;
  totals.idleVmSeconds += idle;
  totals.busyVmSeconds += busy;
  totals.cost += cost;
  pool.accruedAt = t;
}

export function countState(pool: PoolState, state: VmState, delta: number): void {
  if (state === 'booting') pool.booting += delta;
  else if (state === 'idle') pool.idle += delta;
  else if (state === 'busy') pool.busy += delta;
}

/** Inserts by (priority desc, arrival asc, seq asc). */
export function enqueue(queue: QueuedRequest[], q: QueuedRequest): void {
  const after = (a: QueuedRequest): boolean => a.priority > q.priority || (a.priority === q.priority && (a.arrivalAt < q.arrivalAt || (a.arrivalAt === q.arrivalAt && a.seq < q.seq)));
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(queue[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, q);
}

export function statusOf(pool: PoolState, adapter: string, asOf: number): PoolStatusInput {
  return { poolId: pool.ref.id, pool: { runtime: pool.ref.runtime, sizeClass: pool.sizeClass }, warming: pool.booting, active: pool.busy, idle: pool.idle, capacity: pool.capacity, adapter, asOf };
}

export function outcomeOf(pool: PoolState, adapter: string, windowStart: number, windowEnd: number): PoolOutcomeInput {
  const w = pool.window;
  return {
    poolId: pool.ref.id, pool: { runtime: pool.ref.runtime, sizeClass: pool.sizeClass }, windowStart, windowEnd,
    requests: w.requests, warmHits: w.warmHits, coldStarts: w.coldStarts, coldLatencyMsSum: w.coldLatencyMsSum, queued: w.queued,
    idleVmSeconds: w.idleVmSeconds, busyVmSeconds: w.busyVmSeconds, cost: w.cost, spotInterruptions: w.spotInterruptions, adapter,
  };
}

/** A window worth reporting: something happened or something was alive (and so cost money). */
export function windowHasActivity(pool: PoolState): boolean {
  const w = pool.window;
  return w.requests > 0 || w.cost > 0 || w.idleVmSeconds > 0 || w.busyVmSeconds > 0 || w.spotInterruptions > 0 || alive(pool) > 0;
}
