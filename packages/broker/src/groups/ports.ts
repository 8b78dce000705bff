/**
 * What the group coordinator needs from the outside, as small interfaces so tests can pass
 * hand-written fakes. The storage engineer's OffsetStore (src/storage/index.ts) satisfies
 * GroupOffsetStore structurally.
 */
export interface GroupOffsetStore {
  /** Durable when the promise resolves. */
  commit(group: string, entries: ReadonlyArray<StoredOffset>, nowMs: number): Promise<void>;
  fetch(group: string, topic: string, partition: number): { offset: bigint; leaderEpoch: number; metadata: string | null } | undefined;
  groupOffsets(group: string): ReadonlyArray<StoredOffset>;
  groups(): string[];
  deleteGroup(group: string): Promise<void>;
  putGroupMetadata(group: string, json: unknown): Promise<void>;
  groupMetadata(group: string): unknown;
  /** Drops every group's offsets of a deleted topic (optional: fakes may leave it out). */
  deleteTopic?(topic: string): Promise<void>;
}

export interface StoredOffset { topic: string; partition: number; offset: bigint; leaderEpoch: number; metadata: string | null }

/** Injectable timers (tests pass a manual one driven by a manual clock). */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => { clearTimeout(handle as ReturnType<typeof setTimeout>); },
};
