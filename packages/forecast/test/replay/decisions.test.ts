// Re-scores a decisions file with an independent, deliberately naive scorer written from
// DESIGN.md's text (maps and strings, no shared code with src/replay/scorer.ts) and checks that
// it reproduces the replay's figures.
import { describe, expect, it } from 'vitest';
import { formatDecisions } from '../../src/replay/decisions.ts';
import { runModelPolicy } from '../../src/replay/run-policy.ts';
import { scoreReplay } from '../../src/replay/scorer.ts';
import { instanceMatrix } from '../../src/replay/trace.ts';
import { smallTrace } from './helpers.ts';

function independentScore(rows: number[][], mem: number[], dur: number[], ids: string[], csv: string, warmup: number) {
  const warm = new Map<string, number>();
  for (const line of csv.trim().split('\n').slice(1)) {
    const [fn, minute, w] = line.split(',');
    warm.set(`${fn}@${minute}`, Number(w));
  }
  let inv = 0;
  let cold = 0;
  let wasteMb = 0;
  const pcts: number[] = [];
  rows.forEach((n, f) => {
    let fi = 0;
    let fc = 0;
    for (let t = warmup; t < n.length; t++) {
      const c = n[t] as number;
      const r = c === 0 ? 0 : Math.max(1, Math.ceil((c * (dur[f] as number)) / 60));
      const w = warm.get(`${ids[f]}@${t}`) ?? 0;
      fi += c;
      fc += Math.min(c, Math.max(0, r - w));
      wasteMb += Math.max(0, w - r) * (mem[f] as number);
    }
    inv += fi;
    cold += fc;
    if (fi > 0) pcts.push((100 * fc) / fi);
  });
  pcts.sort((a, b) => a - b);
  const pct = (p: number): number => {
    const h = (pcts.length - 1) * p;
    const lo = Math.floor(h);
    return (pcts[lo] as number) + (h - lo) * ((pcts[Math.min(lo + 1, pcts.length - 1)] as number) - (pcts[lo] as number));
  };
  return { coldPct: (100 * cold) / inv, p50: pct(0.5), p75: pct(0.75), wastedGb: wasteMb / 1024 };
}

describe('decisions file', () => {
  it('re-scored independently gives the replay figures', () => {
    // synthetic mix: a 7-minute timer, a busy bursty function, a rare one, a 1-minute-late timer
    const T = 400;
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rows = [
      Array.from({ length: T }, (_, t) => (t % 7 === 3 ? 1 : 0)),
      Array.from({ length: T }, () => Math.floor(rnd() * 200)),
      Array.from({ length: T }, () => (rnd() < 0.02 ? 1 + Math.floor(rnd() * 3) : 0)),
      Array.from({ length: T }, (_, t) => (t % 30 === 0 || (t % 30 === 1 && rnd() < 0.3) ? 2 : 0)),
    ];
    const mem = [128, 512, 150, 300];
    const dur = [0.5, 45, 2, 70];
    const tr = smallTrace(rows, { memoryMb: mem, durationSec: dur });
    const r = instanceMatrix(tr);
    const warmup = 200;
    for (const risk of [0.02, 0.2]) {
      const run = runModelPolicy(tr, r, { risk, warmup });
      const mine = scoreReplay(tr, r, run.w, warmup);
      const csv = formatDecisions(tr, run.w);
      expect(csv.startsWith('function,minute,warm\n')).toBe(true);
      const theirs = independentScore(rows, mem, dur, tr.functions.map((f) => f.id), csv, warmup);
      expect(theirs.coldPct).toBeCloseTo(mine.coldStartPct, 9);
      expect(theirs.p50).toBeCloseTo(mine.p50FunctionColdPct, 9);
      expect(theirs.p75).toBeCloseTo(mine.p75FunctionColdPct, 9);
      expect(theirs.wastedGb).toBeCloseTo(mine.wastedGbMinutes, 9);
      // not a vacuous comparison: the policy warmed something and missed something
      expect(mine.wastedGbMinutes).toBeGreaterThan(0);
      expect(mine.coldInvocations).toBeGreaterThan(0);
    }
  });
});
