// A binary min-heap of events by (time, seq): metrics wait here from their request until
// the minute in which the execution finishes. seq breaks ties so the order is total and
// the output deterministic.

export interface Queued<T> {
  readonly time: number;
  readonly seq: number;
  readonly item: T;
}

function less<T>(a: Queued<T>, b: Queued<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class EventQueue<T> {
  private readonly heap: Queued<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  push(entry: Queued<T>): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i] as Queued<T>, h[parent] as Queued<T>)) break;
      [h[i], h[parent]] = [h[parent] as Queued<T>, h[i] as Queued<T>];
      i = parent;
    }
  }

  pop(): Queued<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l] as Queued<T>, h[m] as Queued<T>)) m = l;
      if (r < h.length && less(h[r] as Queued<T>, h[m] as Queued<T>)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as Queued<T>, h[i] as Queued<T>];
      i = m;
    }
    return top;
  }

  /** Removes and returns every entry with time < before, in order. */
  drainBefore(before: number): Queued<T>[] {
    const out: Queued<T>[] = [];
    while (this.heap.length > 0 && (this.peekTime() as number) < before) out.push(this.pop() as Queued<T>);
    return out;
  }
}
