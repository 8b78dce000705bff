// Min-heap of simulator timers ordered by (at, seq): ties fire in the order they were set, so a
// run does not depend on heap internals. Stale timers (the VM moved on) are skipped by the caller.

export type TimerKind = 'ready' | 'done' | 'expire' | 'spot';

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly kind: TimerKind;
  readonly vmId: string;
  /** The VM's version when set; a different version now means the timer is stale. */
  readonly version: number;
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class TimerHeap {
  private readonly items: Timer[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(t: Omit<Timer, 'seq'>): void {
    const items = this.items;
    items.push({ ...t, seq: this.seq++ });
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(items[i]!, items[p]!)) break;
      [items[i], items[p]] = [items[p]!, items[i]!];
      i = p;
    }
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && before(items[l]!, items[m]!)) m = l;
      if (r < items.length && before(items[r]!, items[m]!)) m = r;
      if (m === i) break;
      [items[i], items[m]] = [items[m]!, items[i]!];
      i = m;
    }
    return top;
  }
}
