// The priority queue for launch needs when capacity is short: higher priority first, then the
// need that has waited longest (needSince), then the pool id (deterministic). Each need gets
// what is left of the shared capacity; the rest waits and keeps its age for the next decision.

export interface Need {
  readonly config: string;
  readonly priority: number;
  readonly since: number;
  readonly count: number;
}

export interface Grant {
  readonly need: Need;
  readonly granted: number;
  /** 1-based position in the queue. */
  readonly position: number;
}

export function orderNeeds(needs: readonly Need[]): Need[] {
  return [...needs].sort((a, b) => b.priority - a.priority || a.since - b.since || (a.config < b.config ? -1 : a.config > b.config ? 1 : 0));
}

/** pre: available >= 0 (Infinity = no shared cap). */
export function allocate(needs: readonly Need[], available: number): Grant[] {
  let left = Math.max(0, available);
  return orderNeeds(needs).map((need, i) => {
    const granted = Math.min(need.count, left);
    left -= granted;
    return { need, granted, position: i + 1 };
  });
}
