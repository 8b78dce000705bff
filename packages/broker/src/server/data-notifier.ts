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
    if (signal.aborted) return Promise.resolve();
    const key = DataNotifier.key(topic, partition);
    return new Promise((resolve) => {
      let set = this.waiters.get(key);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(key, set);
      }
      const done = (): void => {
        signal.removeEventListener('abort', done);
        const s = this.waiters.get(key);
        if (s !== undefined) {
          s.delete(done);
          if (s.size === 0) this.waiters.delete(key);
        }
        resolve();
      };
      set.add(done);
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
