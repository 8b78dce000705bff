/**
 * Group commit: every caller waiting at a moment shares one fsync. A caller whose data was
 * written while a sync is already running waits for the next round (that sync may have
 * started before its write), so N concurrent appenders cost ~2 fsyncs, not N.
 */
export class GroupCommit {
  private inflight: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly doSync: () => Promise<void>) {}

  /** pre: the caller's bytes are already written. Resolves after an fsync that began later. */
  request(): Promise<void> {
    if (this.next !== null) return this.next;
    if (this.inflight === null) return (this.inflight = this.run());
    const next = this.inflight
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return (this.inflight = this.run());
      });
    this.next = next;
    return next;
  }

  private async run(): Promise<void> {
    try {
      await this.doSync();
    } finally {
      this.inflight = null;
    }
  }
}
