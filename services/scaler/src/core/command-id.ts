// Command ids: `sc-<event time, base 36>-<k, base 36>-<8 hex>`, where k counts the commands
// issued at that event time (state.seq, reset when event time moves on) and the hex is FNV-1a
// over pool and rule. (now, k) is unique within a run, so ids never collide; and because
// nothing else goes in, a restarted scaler that re-decides the same window at the same event
// time from a fresh state re-publishes the same ids, which the adapters answer with DUPLICATE
// instead of launching twice. A different command in that slot (other pool or rule) gets a
// different id. No node:crypto: the core stays dependency-free.

function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** pre: now >= 0, seq >= 0 (integers). */
export function commandId(parts: { poolId: string; rule: string; now: number; seq: number }): string {
  const tag = fnv1a32(`${parts.poolId}|${parts.rule}`).toString(16).padStart(8, '0');
  return `sc-${parts.now.toString(36)}-${parts.seq.toString(36)}-${tag}`;
}
