// Deterministic command ids: FNV-1a (64-bit, as two 32-bit halves) over pool, rule, event time
// and the state's sequence. Same state + same input => same ids, so a re-run of a decision
// (e.g. after a crash before the offset commit) re-publishes the same ids and the adapters
// answer DUPLICATE instead of launching twice. No node:crypto: the core stays dependency-free.

function fnv1a32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function commandId(parts: { poolId: string; rule: string; now: number; seq: number }): string {
  const s = `${parts.poolId}|${parts.rule}|${parts.now}|${parts.seq}`;
  const hi = fnv1a32(s, 0x811c9dc5).toString(16).padStart(8, '0');
  const lo = fnv1a32(s, 0x050c5d1f).toString(16).padStart(8, '0');
  // The sequence is appended in clear: ids of one scaler never collide even if the hash does.
  return `sc-${hi}${lo}-${parts.seq.toString(36)}`;
}
