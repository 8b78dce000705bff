// Event-time windows over per-user forecasts. A window is one tick: every forecast whose
// tickTime falls in [T, T + tick). The newest forecast per user (by producedAt; on a tie the
// later arrival) wins, so duplicates from at-least-once delivery are harmless.
// The watermark is the newest tick seen (over all partitions) minus the allowed lateness;
// window T closes once the watermark is past T. With tick 60 s and lateness 1 tick, window
// 12:00 closes when the first forecast for 12:02 arrives. A forecast for a closed window is
// late: counted and dropped (the user's next tick supersedes it; folding it into the next
// window would mix forecast origins). flush() closes everything (the shell's idle timer).
import type { UserForecast } from '@warmcast/kit';

export interface ClosedWindow {
  readonly windowStart: number;
  readonly forecasts: readonly UserForecast[];
}

export type AddStatus = 'added' | 'replaced' | 'stale' | 'late';

export class WindowBuffer {
  private readonly open = new Map<number, Map<string, UserForecast>>();
  private maxTick: number | undefined;
  private closedThrough: number | undefined;

  /** pre: tickMs > 0, latenessMs >= 0. */
  constructor(private readonly tickMs: number, private readonly latenessMs: number) {}

  windowOf(tickTime: number): number {
    return Math.floor(tickTime / this.tickMs) * this.tickMs;
  }

  add(f: UserForecast): AddStatus {
    const t = this.windowOf(f.tickTime);
    if (this.closedThrough !== undefined && t <= this.closedThrough) return 'late';
    let w = this.open.get(t);
    if (w === undefined) {
      w = new Map();
      this.open.set(t, w);
    }
    this.maxTick = this.maxTick === undefined ? t : Math.max(this.maxTick, t);
    const prev = w.get(f.userKey);
    if (prev !== undefined && prev.producedAt > f.producedAt) return 'stale';
    w.set(f.userKey, f);
    return prev === undefined ? 'added' : 'replaced';
  }

  watermark(): number | undefined {
    return this.maxTick === undefined ? undefined : this.maxTick - this.latenessMs;
  }

  /** Windows the watermark has passed, oldest first. */
  closeDue(): ClosedWindow[] {
    const wm = this.watermark();
    return wm === undefined ? [] : this.closeWhere((t) => t < wm);
  }

  /** Every open window, oldest first (idle timer, shutdown). */
  flush(): ClosedWindow[] {
    return this.closeWhere(() => true);
  }

  openWindows(): number {
    return this.open.size;
  }

  private closeWhere(due: (t: number) => boolean): ClosedWindow[] {
    const ticks = [...this.open.keys()].filter(due).sort((a, b) => a - b);
    const out: ClosedWindow[] = [];
    for (const t of ticks) {
      const w = this.open.get(t) as Map<string, UserForecast>;
      this.open.delete(t);
      this.closedThrough = this.closedThrough === undefined ? t : Math.max(this.closedThrough, t);
      out.push({ windowStart: t, forecasts: [...w.values()] });
    }
    return out;
  }
}
