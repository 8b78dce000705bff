import { step } from '../../src/core/group-decider.ts';
import type { GroupConfig, GroupEffect, GroupEvent, GroupState, JoinResult, SyncResult } from '../../src/core/group-types.ts';
import { emptyGroup } from '../../src/core/group-types.ts';

export const CFG: GroupConfig = { initialRebalanceDelayMs: 3000, minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000 };

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface JoinOpts {
  version?: number; newMemberId?: string; session?: number; rebalance?: number;
  protocolType?: string; protocols?: string[]; meta?: string; clientId?: string;
}

export function joinEv(memberId: string, o: JoinOpts = {}): GroupEvent {
  return {
    type: 'join', memberId, newMemberId: o.newMemberId ?? `${o.clientId ?? 'c'}-new`,
    requireKnownMemberId: (o.version ?? 5) >= 4, groupInstanceId: null, clientId: o.clientId ?? 'c', clientHost: '/127.0.0.1',
    sessionTimeoutMs: o.session ?? 30_000, rebalanceTimeoutMs: o.rebalance ?? 60_000, protocolType: o.protocolType ?? 'consumer',
    protocols: (o.protocols ?? ['RoundRobinAssigner']).map((name) => ({ name, metadata: bytes(`${name}:${o.meta ?? ''}`) })),
  };
}

export function syncEv(memberId: string, generationId: number, assignments: Record<string, string> = {}): GroupEvent {
  return {
    type: 'sync', memberId, generationId, protocolType: null, protocolName: null,
    assignments: Object.entries(assignments).map(([m, a]) => ({ memberId: m, assignment: bytes(a) })),
  };
}

/** Drives the pure decider with explicit timestamps and keeps the last step's effects. */
export class GroupSim {
  g: GroupState;
  effects: readonly GroupEffect[] = [];
  constructor(groupId = 'g', readonly cfg: GroupConfig = CFG) { this.g = emptyGroup(groupId); }

  send(ev: GroupEvent, t: number): readonly GroupEffect[] {
    const r = step(this.g, ev, t, this.cfg);
    this.g = r.group;
    this.effects = r.effects;
    return r.effects;
  }

  joins(): Map<string, JoinResult> {
    return new Map(this.effects.flatMap((e) => (e.type === 'join-response' ? [[e.to, e.result] as const] : [])));
  }

  syncs(): Map<string, SyncResult> {
    return new Map(this.effects.flatMap((e) => (e.type === 'sync-response' ? [[e.to, e.result] as const] : [])));
  }

  reply(): number | undefined {
    const e = this.effects.find((x) => x.type === 'reply');
    return e?.type === 'reply' ? e.errorCode : undefined;
  }

  wake(): number | null | undefined {
    const e = this.effects.find((x) => x.type === 'wake-at');
    return e?.type === 'wake-at' ? e.atMs : undefined;
  }

  persisted(): boolean {
    return this.effects.some((e) => e.type === 'persist');
  }

  ids(): string[] {
    return this.g.members.map((m) => m.memberId);
  }

  /** v3-style join of a fresh member that gets its id directly. */
  add(memberId: string, t: number, o: JoinOpts = {}): readonly GroupEffect[] {
    return this.send(joinEv('', { ...o, version: 3, newMemberId: memberId }), t);
  }

  /** Fire the wake-up timer until the join phase is over; returns the time it ended. */
  settle(t = 0): number {
    let end = t;
    while (this.g.phase === 'PreparingRebalance') {
      end = this.wake() ?? end;
      this.send({ type: 'timer-fired' }, end);
    }
    return end;
  }

  /** Members A.. join at t, the initial delay ends, leader syncs: a Stable generation. */
  stable(ids: string[], t = 0, o: JoinOpts = {}): number {
    for (const id of ids) this.add(id, t, o);
    // The initial delay is extended once per delay window in which members arrived.
    const end = this.settle(t);
    const gen = this.g.generationId;
    const leader = this.g.leaderId ?? '';
    this.send(syncEv(leader, gen, Object.fromEntries(ids.map((id) => [id, `assign-${id}`]))), end);
    for (const id of ids) if (id !== leader) this.send(syncEv(id, gen), end);
    return end;
  }
}

export const text = (b: Uint8Array | undefined): string => (b === undefined ? '<none>' : new TextDecoder().decode(b));
