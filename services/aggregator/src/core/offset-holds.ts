// Which input offsets the aggregator still needs. A forecast's offset may be committed only once
// every window it feeds is published (DESIGN.md: commit offsets only for durable work), so per
// window not yet published we keep the lowest offset, per input partition, of a forecast
// accepted into it; a partition's floor is the minimum over those windows. The shell hands the
// floor to the kit's consumer loop, which never commits at or past it.
//
// Worked example (lateness 1 tick, one partition): windows 12:00 and 12:01 open, their first
// forecasts at offsets 40 and 75 -> floor 40. 12:00 is published -> floor 75. 12:01 is
// published and nothing else is open -> floor null (commit everything finished).
//
// Conservative by design: a forecast later replaced by the same user's newer one still holds
// its offset until the window is published (re-reading a few superseded forecasts is harmless,
// the newest per user wins again); tracking exact contributors would cost a scan per window.
//
// publishedThrough: windows are closed oldest first and published in that order (the shell's
// FIFO), so every window at or before the newest published one is out. It travels as the
// commit's metadata and comes back after a restart (see restoreMetadata below).

export class OffsetHolds {
  /** windowStart -> partition -> lowest offset accepted into that window. */
  private readonly byWindow = new Map<number, Map<number, number>>();
  private through: number | undefined;

  /** pre: offset >= 0 (a Kafka offset; exact as a double below 2^53). */
  hold(windowStart: number, partition: number, offset: number): void {
    let w = this.byWindow.get(windowStart);
    if (w === undefined) {
      w = new Map();
      this.byWindow.set(windowStart, w);
    }
    const low = w.get(partition);
    if (low === undefined || offset < low) w.set(partition, offset);
  }

  /** The window is published (or refused for good and dropped): its forecasts are no longer needed. */
  release(windowStart: number): void {
    this.byWindow.delete(windowStart);
    this.through = this.through === undefined ? windowStart : Math.max(this.through, windowStart);
  }

  /** Lowest offset on the partition that a window not yet published still needs, or null. */
  floor(partition: number): number | null {
    let low: number | null = null;
    for (const w of this.byWindow.values()) {
      const o = w.get(partition);
      if (o !== undefined && (low === null || o < low)) low = o;
    }
    return low;
  }

  /** Newest published windowStart, or undefined before the first. */
  get publishedThrough(): number | undefined {
    return this.through;
  }

  /** Windows still holding offsets (closed or not). */
  heldWindows(): number {
    return this.byWindow.size;
  }
}

// Commit metadata: `aggregator/v1 publishedThrough=<windowStart ms>`. Kafka stores it with the
// offset, so it describes the same moment as the floor the offset was cut at.
const PREFIX = 'aggregator/v1 publishedThrough=';

export function encodeCommitMetadata(publishedThrough: number | undefined): string | null {
  return publishedThrough === undefined ? null : `${PREFIX}${publishedThrough}`;
}

export type ParsedMetadata = { readonly ok: true; readonly publishedThrough: number | undefined } | { readonly ok: false; readonly reason: string };

/** Empty or absent metadata (no commit yet, or one made before the floor existed) is "nothing published". */
export function parseCommitMetadata(metadata: string | null | undefined): ParsedMetadata {
  if (metadata === null || metadata === undefined || metadata === '') return { ok: true, publishedThrough: undefined };
  if (!metadata.startsWith(PREFIX)) return { ok: false, reason: `commit metadata ${JSON.stringify(metadata.slice(0, 80))} is not the aggregator's (expected "${PREFIX}<ms>")` };
  const text = metadata.slice(PREFIX.length);
  const t = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN; // Number('') would be 0
  if (!Number.isSafeInteger(t)) return { ok: false, reason: `commit metadata ${JSON.stringify(metadata.slice(0, 80))}: publishedThrough is not an integer of milliseconds` };
  return { ok: true, publishedThrough: t };
}

/**
 * After a restart: the newest window published by an earlier run, from the metadata committed on
 * each input partition. The maximum is right: a partition whose commit is older re-reads from a
 * lower offset, and whatever it re-reads for windows up to the maximum was published already.
 */
export function restoreMetadata(metadata: readonly (string | null | undefined)[]): { publishedThrough: number | undefined; errors: string[] } {
  let through: number | undefined;
  const errors: string[] = [];
  for (const m of metadata) {
    const p = parseCommitMetadata(m);
    if (!p.ok) errors.push(p.reason);
    else if (p.publishedThrough !== undefined) through = through === undefined ? p.publishedThrough : Math.max(through, p.publishedThrough);
  }
  return { publishedThrough: through, errors };
}
