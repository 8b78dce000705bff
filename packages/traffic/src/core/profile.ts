// Per-function distributions the generator draws from, parsed from the durations and
// memory files of a trace (either layout; see /work/shared/data/README.md). The forecast
// package's Trace keeps only the average duration and memory (what the replay model
// needs); realistic events need the spread, so this parser reads the percentile columns:
//   durations: Minimum, percentile_Average_{0,1,25,50,75,99,100}, Maximum  (ms)
//   memory:    AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}              (MB)
// Durations are percentiles of 30-second AVERAGES (dataset notes 7), narrower than the
// per-invocation distribution, so the 0 and 1 ends use the true Minimum and Maximum when
// they were recorded: 1 % of draws then fall between p99 and the true maximum.
import type { Trace } from '@warmcast/forecast';

/** (p, value) pairs, p ascending in [0, 1], values non-decreasing: a piecewise-linear quantile function. */
export type Quantiles = readonly (readonly [number, number])[];

export interface FunctionProfile {
  /** execution time, ms */
  readonly durationMs: Quantiles;
  /** allocated memory, MB */
  readonly memoryMb: Quantiles;
}

/** A trace plus one profile per trace.functions entry (same index). */
export interface TrafficTrace {
  readonly trace: Trace;
  readonly profiles: readonly FunctionProfile[];
}

export interface ProfileTexts {
  readonly durations: string;
  readonly memory: string;
}

interface Table { header: string[]; rows: string[][] }

function table(text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (l: string): string[] => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { header: split(lines[0] ?? ''), rows: lines.slice(1).map(split) };
}

const DURATION_COLS: Quantiles = [[0, 0], [0.01, 1], [0.25, 25], [0.5, 50], [0.75, 75], [0.99, 99], [1, 100]];
const MEMORY_COLS = [[0.01, 1], [0.05, 5], [0.25, 25], [0.5, 50], [0.75, 75], [0.95, 95], [0.99, 99], [1, 100]] as const;

/** Sorts nothing (p are given ascending); drops non-finite values and forces values non-decreasing. */
export function monotone(points: readonly (readonly [number, number])[]): Quantiles {
  const out: [number, number][] = [];
  let floor = -Infinity;
  for (const [p, v] of points) {
    if (!Number.isFinite(v) || v < 0) continue;
    floor = Math.max(floor, v);
    out.push([p, floor]);
  }
  return out;
}

/** Inverse CDF by linear interpolation. pre: q non-empty; u in [0, 1]. Outside the given p range the end values hold. */
export function quantile(q: Quantiles, u: number): number {
  const first = q[0];
  if (first === undefined) throw new RangeError('quantile of an empty distribution');
  if (u <= first[0]) return first[1];
  for (let i = 1; i < q.length; i++) {
    const [p1, v1] = q[i] as readonly [number, number];
    if (u <= p1) {
      const [p0, v0] = q[i - 1] as readonly [number, number];
      return p1 === p0 ? v1 : v0 + ((u - p0) / (p1 - p0)) * (v1 - v0);
    }
  }
  return (q[q.length - 1] as readonly [number, number])[1];
}

function durationProfiles(text: string): Map<string, Quantiles> {
  const t = table(text);
  const at = (name: string): number => t.header.indexOf(name);
  const [iApp, iFn, iMin, iMax] = [at('HashApp'), at('HashFunction'), at('Minimum'), at('Maximum')];
  const out = new Map<string, Quantiles>();
  for (const row of t.rows) {
    const num = (i: number): number => (i >= 0 && row[i] !== undefined && row[i] !== '' ? Number(row[i]) : NaN);
    const pts: [number, number][] = DURATION_COLS.map(([p, pct]) => [p, num(at(`percentile_Average_${pct}`))]);
    const min = num(iMin);
    const max = num(iMax);
    // true extremes widen the ends only when recorded and consistent (notes 6: a few are missing)
    if (Number.isFinite(min) && min >= 0 && pts[0] !== undefined && min <= pts[0][1]) pts[0] = [0, min];
    const last = pts[pts.length - 1];
    if (Number.isFinite(max) && last !== undefined && max >= last[1]) pts[pts.length - 1] = [1, max];
    let q = monotone(pts);
    if (q.length === 0) q = monotone([[0.5, num(at('Average'))]]);
    if (q.length > 0) out.set(`${row[iApp]}|${row[iFn]}`, q);
  }
  return out;
}

function memoryProfiles(text: string): { byFunction: boolean; map: Map<string, Quantiles> } {
  const t = table(text);
  const byFunction = t.header.includes('HashFunction');
  const [iApp, iFn] = [t.header.indexOf('HashApp'), t.header.indexOf('HashFunction')];
  const map = new Map<string, Quantiles>();
  for (const row of t.rows) {
    const cols = MEMORY_COLS.map(([p, pct]) => [p, Number(row[t.header.indexOf(`AverageAllocatedMb_pct${pct}`)] ?? NaN)] as const);
    let q = monotone(cols);
    if (q.length === 0) q = monotone([[0.5, Number(row[t.header.indexOf('AverageAllocatedMb')] ?? NaN)]]);
    if (q.length > 0) map.set(byFunction ? `${row[iApp]}|${row[iFn]}` : `${row[iApp]}`, q);
  }
  return { byFunction, map };
}

/**
 * Profiles for every function of the trace, from the texts of the same trace's durations and
 * memory files. A function missing from a file falls back to a point mass at the Trace's
 * average (durationSec, memoryMb), which is what the replay model uses.
 */
export function parseProfiles(trace: Trace, texts: ProfileTexts): FunctionProfile[] {
  const durations = durationProfiles(texts.durations);
  const memory = memoryProfiles(texts.memory);
  return trace.functions.map((f) => ({
    durationMs: durations.get(`${f.app}|${f.id}`) ?? [[0.5, f.durationSec * 1000]],
    memoryMb: memory.map.get(memory.byFunction ? `${f.app}|${f.id}` : f.app) ?? [[0.5, f.memoryMb]],
  }));
}

/** A TrafficTrace from a bare Trace: point masses at the averages (no spread). */
export function averagesOnly(trace: Trace): TrafficTrace {
  return { trace, profiles: trace.functions.map((f) => ({ durationMs: [[0.5, f.durationSec * 1000]], memoryMb: [[0.5, f.memoryMb]] })) };
}
