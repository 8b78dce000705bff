// Folding one normalized event into a user's state, and closing the user's finished minutes.
//
// Counting: REQUEST and PAIRED events are requests (at eventTime); METRICS and PAIRED carry usage.
// A METRICS-only event's eventTime is the finish time, so its usage belongs to the minute the run
// started in (eventTime - durationMs). Ingest emits REQUEST then METRICS for a request it could not
// pair, so counting only REQUEST/PAIRED counts every request once.
//
// Concurrency, as DESIGN.md's replay model: a closed minute with n requests of mean duration d s
// needs max(1, ceil(n x d / 60)) instances (d from the minute's own metrics, else the user's
// median duration, else 1 s). Example: 30 requests of 4 s -> ceil(2) = 2 instances.
// CPU demand of the minute = instances x mean busy cores (cpuMs / durationMs) of its requests;
// memory demand = instances x mean peak MiB. Those are what the forecast's cpuCores/memoryMb
// quantiles predict and what accuracy scores them against.
import type { NormalizedEvent } from '@warmcast/kit';
import type { ClosedMinute, UserState } from './user-state.ts';
import { addIdleGap, addUsage, bumpMix, ewma } from './user-state.ts';
import { MINUTE_MS } from './options.ts';
import { sortedQuantile } from './stats-math.ts';

const DAY_MS = 86_400_000;
/** with no metrics at all: 1 s runs, a quarter core, 128 MiB (the XS pool is 0.25 vCPU / 256 MiB) */
export const PRIOR_DURATION_MS = 1000;
export const PRIOR_CORES = 0.25;
export const PRIOR_MEMORY_MB = 128;

const round = (x: number, step: number): number => Math.round(x / step) * step;

export type FoldOutcome = 'folded' | 'late' | 'ignored';

/**
 * pre: offset > s.sourceOffset (the caller skips events already in the state).
 * closedBefore: minutes below it are closed in this partition; requests there are late (kept in the
 * profile, not in the minute counts, so closed history never changes).
 */
export function foldEvent(s: UserState, e: NormalizedEvent, offset: number, closedBefore: number): FoldOutcome {
  s.sourceOffset = offset;
  if (e.kind === 'UNKNOWN') return 'ignored';
  s.lastEventTime = Math.max(s.lastEventTime, e.eventTime);
  const isRequest = e.kind === 'REQUEST' || e.kind === 'PAIRED';
  const m = e.metrics;
  const minute = Math.floor((e.eventTime - (e.kind === 'METRICS' && m ? m.durationMs : 0)) / MINUTE_MS);
  let late = false;
  if (isRequest) {
    const runtime = e.runtime ?? 'unknown';
    bumpMix(s.runtimeMix, runtime);
    bumpMix(s.languageMix, e.language ?? 'OTHER');
    bumpMix(s.poolMix, `${runtime}/${e.sizeClass ?? 'UNKNOWN'}`);
    if (e.tier !== null) s.tier = e.tier;
    if (e.priority !== null) s.priority = e.priority;
    const d = new Date(e.eventTime);
    s.hourOfDay[d.getUTCHours()] = (s.hourOfDay[d.getUTCHours()] ?? 0) + 1;
    s.dayOfWeek[Math.floor(e.eventTime / DAY_MS + 4) % 7] = (s.dayOfWeek[Math.floor(e.eventTime / DAY_MS + 4) % 7] ?? 0) + 1;
  }
  if (e.codeFeatures) s.code = { lines: e.codeFeatures.lines, cyclomatic: e.codeFeatures.cyclomaticComplexity, imports: e.codeFeatures.imports };
  if (minute < closedBefore) late = true;
  const open = late ? undefined : (s.open[minute] ??= { n: 0, usageN: 0, durSum: 0, coresSum: 0, memSum: 0 });
  if (isRequest && open) open.n++;
  if (m) {
    const dur = Math.max(1, m.durationMs);
    // rounded (1e-4 core, 0.01 MiB) before use, so the changelog JSON stays short and a restored
    // state computes with exactly the numbers the live one did
    const cores = round(m.cpuMs / dur, 1e-4);
    addUsage(s, [cores, round(m.memoryPeakMb, 1e-2), m.durationMs]);
    s.ioBytesMean = ewma(s.ioBytesMean, m.ioBytes);
    s.netBytesMean = ewma(s.netBytesMean, m.netBytes);
    s.gpuMsMean = ewma(s.gpuMsMean, m.gpuMs ?? 0);
    s.gpuShare = ewma(s.gpuShare, m.gpuMs === null ? 0 : 1);
    if (m.coldStart === true) s.coldStarts++;
    if (m.coldStart === false) s.warmStarts++;
    if (open) {
      open.usageN++;
      open.durSum += m.durationMs;
      open.coresSum += cores;
      open.memSum += round(m.memoryPeakMb, 1e-2);
    }
  }
  return late ? 'late' : 'folded';
}

/** Median of one usage column (0 cores, 1 MiB, 2 ms) over the ring, or the prior. */
export function usageMedian(s: UserState, col: 0 | 1 | 2): number {
  if (s.usage.length === 0) return col === 0 ? PRIOR_CORES : col === 1 ? PRIOR_MEMORY_MB : PRIOR_DURATION_MS;
  return sortedQuantile(s.usage.map((u) => u[col]).sort((a, b) => a - b), 0.5);
}


/** Moves open minutes < before into history; returns how many were closed. */
export function closeMinutes(s: UserState, before: number): number {
  const due = Object.keys(s.open).map(Number).filter((m) => m < before).sort((a, b) => a - b);
  if (due.length === 0) return 0;
  let medians: [number, number, number] | undefined;
  for (const minute of due) {
    const o = s.open[minute];
    delete s.open[minute];
    if (!o || o.n === 0) continue; // usage without a request in that minute: profile only
    medians ??= [usageMedian(s, 0), usageMedian(s, 1), usageMedian(s, 2)];
    const durMs = o.usageN > 0 ? o.durSum / o.usageN : medians[2];
    const instances = Math.max(1, Math.ceil((o.n * durMs) / 1000 / 60));
    const cores = o.usageN > 0 ? o.coresSum / o.usageN : medians[0];
    const mem = o.usageN > 0 ? o.memSum / o.usageN : medians[1];
    const rec: ClosedMinute = [minute, o.n, instances, round(instances * cores, 1e-4), round(instances * mem, 1e-2)];
    s.history.push(rec);
    if (s.lastActiveMinute >= 0) addIdleGap(s, minute - s.lastActiveMinute);
    s.lastActiveMinute = minute;
  }
  return due.length;
}

/** Drops history before `minute` (pre: nothing older is needed: model look-back and accuracy windows); returns how many minutes went. */
export function pruneHistory(s: UserState, minute: number): number {
  let i = 0;
  while (i < s.history.length && (s.history[i]?.[0] ?? 0) < minute) i++;
  if (i > 0) s.history.splice(0, i);
  return i;
}
