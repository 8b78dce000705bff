/**
 * Long-poll wake-ups for Fetch: Produce calls notify(topic, partition) after an append, and
 * every Fetch waiting on that partition resolves. Waiters are removed when they resolve or
 * their signal aborts, so an idle consumer costs one map entry, not a leak per poll.
 */
export class DataNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  private static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  wait(topic: string, partition: number, signal: AbortSignal): Promise<void> {
    return this.waitAny([{ topic, partition }], signal);
  }

  /**
   * Resolves on the first notify() of any of the partitions, or on abort. One abort listener
   * per wait, however many partitions: a Fetch of 12+ partitions used to add one listener per
   * partition to the same signal, past Node's default of 10 (MaxListenersExceededWarning).
   */
  waitAny(partitions: readonly { readonly topic: string; readonly partition: number }[], signal: AbortSignal): Promise<void> {
    if (signal.aborted || partitions.length === 0) return Promise.resolve();
    const keys = [...new Set(partitions.map((p) => DataNotifier.key(p.topic, p.partition)))];
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        for (const key of keys) {
          const s = this.waiters.get(key);
          if (s === undefined) continue;
          s.delete(done);
          if (s.size === 0) this.waiters.delete(key);
        }
        resolve();
      };
      for (const key of keys) {
        let set = this.waiters.get(key);
        if (set === undefined) {
          set = new Set();
          this.waiters.set(key, set);
        }
        set.add(done);
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  notify(topic: string, partition: number): void {
    const set = this.waiters.get(DataNotifier.key(topic, partition));
    if (set === undefined) return;
    for (const done of [...set]) done();
  }

  /** Number of pending waits (for tests). */
  get pending(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }
}
