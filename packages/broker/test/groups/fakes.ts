import pino from 'pino';
import type { GroupOffsetStore, Scheduler } from '../../src/groups/coordinator.ts';

/** Manual clock + scheduler: timers fire only when the test advances time. */
export class ManualTime implements Scheduler {
  nowMs = 0;
  private seq = 0;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  readonly clock = { now: (): number => this.nowMs };

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.push({ id, at: this.nowMs + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Move time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowMs = Math.max(this.nowMs, due.at);
      due.fn();
    }
    this.nowMs = target;
  }
}

type Offset = { offset: bigint; leaderEpoch: number; metadata: string | null };

/** In-memory OffsetStore with the storage contract's shape (survives "restarts" by reuse). */
export class FakeOffsetStore implements GroupOffsetStore {
  readonly offsets = new Map<string, Map<string, Offset>>();
  readonly metadata = new Map<string, unknown>();
  commits = 0;

  commit(group: string, entries: { topic: string; partition: number; offset: bigint; leaderEpoch: number; metadata: string | null }[]): Promise<void> {
    const g = this.offsets.get(group) ?? new Map<string, Offset>();
    for (const e of entries) g.set(`${e.topic}\u0000${e.partition}`, { offset: e.offset, leaderEpoch: e.leaderEpoch, metadata: e.metadata });
    this.offsets.set(group, g);
    this.commits++;
    return Promise.resolve();
  }

  fetch(group: string, topic: string, partition: number): Offset | undefined {
    return this.offsets.get(group)?.get(`${topic}\u0000${partition}`);
  }

  groupOffsets(group: string): ({ topic: string; partition: number } & Offset)[] {
    return [...(this.offsets.get(group) ?? new Map<string, Offset>()).entries()].map(([k, v]) => {
      const [topic = '', partition = '0'] = k.split('\u0000');
      return { topic, partition: Number(partition), ...v };
    });
  }

  groups(): string[] {
    return [...new Set([...this.offsets.keys(), ...this.metadata.keys()])];
  }

  deleteGroup(group: string): Promise<void> {
    this.offsets.delete(group);
    this.metadata.delete(group);
    return Promise.resolve();
  }

  deleteTopic(topic: string): Promise<void> {
    for (const g of this.offsets.values()) for (const k of [...g.keys()]) if (k.startsWith(`${topic}\u0000`)) g.delete(k);
    return Promise.resolve();
  }

  putGroupMetadata(group: string, json: unknown): Promise<void> {
    this.metadata.set(group, JSON.parse(JSON.stringify(json)));
    return Promise.resolve();
  }

  groupMetadata(group: string): unknown {
    return this.metadata.get(group);
  }
}

export const silentLog = pino({ level: 'silent' });
