// The target size of one pool configuration at event time `now`, and which rule set it.
// Worked example (defaults): lead = 30 s boot + 0 preload + 30 s margin = 60 s, so the 5-minute
// horizon is used; upperBound 11.3 at confidence 0.9, +10 % buffer -> ceil(12.43) = 13 VMs.
// Floors: minInstances, active scheduled windows, reservations (from - lead .. to), a CRITICAL
// anomaly's observed value (+ buffer). Cap: maxInstances (or a schedule's), raised by
// breachBufferPct when breach = 'raise'.
import type { Anomaly } from '@warmcast/kit';
import type { DemandRef, Reservation } from './inputs.ts';
import type { GlobalPolicy, PoolPolicy } from './policy.ts';
import { leadTimeMs } from './policy.ts';
import type { ConfigState } from './state.ts';
import { parseCron, windowActive } from './cron.ts';
import { parsePoolId } from './pool-id.ts';
import { configOf } from './pools.ts';
import { normalQuantile } from './normal.ts';

export interface Target {
  readonly target: number;
  /** Rule of the binding term: proactive-scale-out, fallback-stale, min-bound, scheduled-override, reservation, anomaly-corrective. */
  readonly rule: string;
  readonly forecastRef: string | null;
  /** The number the rule compared against (instances). */
  readonly bound: number | null;
  readonly text: string;
  /** Demand record used (null when untrusted / missing). */
  readonly demand: DemandRef | null;
  readonly trusted: boolean;
  readonly leadMs: number;
  /** Cap in force (after a breach raise). */
  readonly cap: number;
  /** True when reservations are active: no scale-in below them. */
  readonly reservedFloor: number;
}

interface Term { rule: string; value: number; ref: string | null; bound: number | null; text: string }

/** pre: demands all belong to one configuration. */
export function pickDemand(p: PoolPolicy, demands: readonly DemandRef[], leadMs: number): DemandRef | null {
  const sorted = [...demands].sort((a, b) => a.demand.horizonMinutes - b.demand.horizonMinutes);
  if (p.horizonMinutes !== null) return sorted.find((d) => d.demand.horizonMinutes === p.horizonMinutes) ?? null;
  return sorted.find((d) => d.demand.horizonMinutes * 60_000 >= leadMs) ?? sorted[sorted.length - 1] ?? null;
}

export function forecastValue(p: PoolPolicy, d: DemandRef): number {
  const { mean, variance, upperBound } = d.demand;
  if (p.bound === 'mean') return mean;
  if (p.bound === 'quantile') return mean + normalQuantile(p.quantile) * Math.sqrt(Math.max(0, variance));
  return upperBound;
}

export function withBuffer(p: PoolPolicy, value: number): number {
  // -1e-9: 10 * 1.1 is 11.000000000000002 in floating point and must stay 11.
  return Math.max(0, Math.ceil(value * (1 + p.bufferPct / 100) + p.bufferInstances - 1e-9));
}

function anomalyMatches(a: Anomaly, config: string): boolean {
  if (a.subjectKind !== 'POOL') return false;
  const parsed = parsePoolId(a.subjectId);
  return a.subjectId === config || (parsed !== null && parsed.kind !== 'variable' && parsed.config === config);
}

export function computeTarget(args: {
  p: PoolPolicy; g: GlobalPolicy; config: string; demands: readonly DemandRef[]; cs: ConfigState;
  anomalies: readonly Anomaly[]; reservations: readonly Reservation[]; now: number; forecasterFailed: boolean; extraPreloadMs?: number;
}): Target {
  const { p, g, config, cs, now } = args;
  const leadMs = leadTimeMs(p, args.extraPreloadMs ?? 0);
  const d = pickDemand(p, args.demands, leadMs);
  const terms: Term[] = [];
  const historyOk = cs.firstDemandAt !== null && now - cs.firstDemandAt >= p.minHistoryMs;
  const fresh = d !== null && now - d.demand.windowEnd <= p.staleAfterMs;
  const trusted = d !== null && fresh && historyOk && !args.forecasterFailed;
  if (trusted) {
    const v = forecastValue(p, d);
    const h = d.demand.horizonMinutes;
    terms.push({ rule: 'proactive-scale-out', value: withBuffer(p, v), ref: d.ref, bound: v,
      text: `forecast ${config} h=${h}m ${p.bound === 'quantile' ? `q${p.quantile}` : p.bound} ${round(v)} (mean ${round(d.demand.mean)}, bounds ${round(d.demand.lowerBound)}..${round(d.demand.upperBound)} @${d.demand.confidence}, window ${iso(d.demand.windowStart)}..${iso(d.demand.windowEnd)}) +${p.bufferPct}%+${p.bufferInstances} -> ${withBuffer(p, v)}; lead ${leadMs / 1000}s, ready by ${iso(now + leadMs)}` });
  } else {
    const why = args.forecasterFailed ? 'forecaster failed' : d === null ? 'no demand' : !fresh ? `demand stale (window end ${iso(d.demand.windowEnd)}, > ${p.staleAfterMs / 1000}s old)` : `history ${cs.firstDemandAt === null ? 0 : (now - cs.firstDemandAt) / 1000}s < minHistory ${p.minHistoryMs / 1000}s`;
    const fb = p.fallbackInstances ?? p.minInstances;
    terms.push({ rule: 'fallback-stale', value: fb, ref: d?.ref ?? null, bound: fb, text: `${why}: fallback capacity ${fb}` });
  }
  terms.push({ rule: 'min-bound', value: p.minInstances, ref: null, bound: p.minInstances, text: `minInstances ${p.minInstances}` });
  let cap = p.maxInstances;
  for (const w of p.schedules) {
    const c = parseCron(w.cron);
    if (typeof c === 'string' || !windowActive(c, w.durationMs, now)) continue;
    if (w.minInstances !== undefined) terms.push({ rule: 'scheduled-override', value: w.minInstances, ref: `schedule:${w.cron}`, bound: w.minInstances, text: `schedule "${w.cron}" for ${w.durationMs / 1000}s: min ${w.minInstances}` });
    if (w.maxInstances !== undefined) cap = Math.min(cap, w.maxInstances);
  }
  // A booking may name the configuration or one of its pools (e.g. python3.12/M/reserved).
  const active = args.reservations.filter((r) => configOf(r.poolId) === config && now >= r.fromMs - leadMs && now < r.toMs);
  const reservedFloor = active.reduce((s, r) => s + r.count, 0);
  if (active.length > 0) {
    terms.push({ rule: 'reservation', value: reservedFloor, ref: active.map((r) => `reservation:${r.reservationId}`).join(','), bound: reservedFloor,
      text: `reservations ${active.map((r) => `${r.reservationId} (${r.owner}: ${r.count} from ${iso(r.fromMs)} to ${iso(r.toMs)})`).join(', ')}; ready by from - lead ${leadMs / 1000}s` });
  }
  for (const a of args.anomalies) {
    if (a.severity !== 'CRITICAL' || a.observed <= a.expectedUpper || !anomalyMatches(a, config) || now < a.detectedAt || now - a.detectedAt > g.anomalyHoldMs) continue;
    const v = withBuffer(p, a.observed);
    terms.push({ rule: 'anomaly-corrective', value: v, ref: a.forecastRef ?? `anomaly:${a.anomalyId}`, bound: a.expectedUpper,
      text: `CRITICAL anomaly ${a.anomalyId}: observed ${round(a.observed)} ${a.metric} > upper ${round(a.expectedUpper)}; corrective +${p.bufferPct}% -> ${v}` });
  }
  // The first term wins ties: the forecast explains a command better than a floor it equals.
  let best = terms[0] as Term;
  for (const t of terms) if (t.value > best.value) best = t;
  let target = best.value;
  // When a floor wins, still say what the forecast (or its absence) asked for.
  const first = terms[0] as Term;
  let text = best === first ? best.text : `${best.text} (over ${first.rule}: ${first.text})`;
  if (target > cap) {
    const raised = p.breach === 'raise' ? Math.floor(cap * (1 + p.breachBufferPct / 100)) : cap;
    text += `; capped at ${Math.min(target, raised)} (max ${cap}, breach ${p.breach}${p.breach === 'raise' ? ` +${p.breachBufferPct}%` : ''})`;
    cap = raised;
    target = Math.min(target, raised);
  }
  return { target, rule: best.rule, forecastRef: best.ref, bound: best.bound, text, demand: trusted ? d : null, trusted, leadMs, cap, reservedFloor };
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
