/**
 * Side-by-side frontier of the per-function model choice (today's warmcast) and the global
 * learned combiner, on one trace in one run: both sweeps of the risk knob, interpolated
 * (log-log between neighbouring sweep points) at fixed memory levels relative to fixed 10.
 * Prints CPU seconds next to wall seconds and the load average (the box is shared).
 *
 *   npx tsx packages/forecast/bench/combiner.bench.ts --trace DIR [--hour] [--no-bands] [--no-old] [--risks 0.04,0.057]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { featureNames } from '../src/models/combiner.ts';
import { combinedForecasts } from '../src/replay/combined-forecasts.ts';
import { loadTrace } from '../src/replay/io/load-trace.ts';
import { RISK_SWEEP } from '../src/replay/replay.ts';
import { runModelPolicy } from '../src/replay/run-policy.ts';
import { scoreReplay } from '../src/replay/scorer.ts';
import { defaultWarmup, instanceMatrix } from '../src/replay/trace.ts';
import { fixedKeepAlive } from '../src/replay/baselines/fixed-keep-alive.ts';

const { values } = parseArgs({
  options: {
    trace: { type: 'string', default: '/work/shared/data/azure-functions-2019' },
    hour: { type: 'boolean', default: false },
    'no-bands': { type: 'boolean', default: false },
    trees: { type: 'boolean', default: false },
    'no-old': { type: 'boolean', default: false },
    risks: { type: 'string' },
  },
});
const trace = loadTrace(values.trace);
const warmup = defaultWarmup(trace);
const r = instanceMatrix(trace);
const ref = scoreReplay(trace, r, fixedKeepAlive(r, 10), warmup);
const risks = values.risks ? values.risks.split(',').map(Number) : [...RISK_SWEEP];
console.log(`trace ${values.trace}: ${trace.functions.length} functions, warm-up ${warmup}; fixed-10 ${ref.coldStartPct.toFixed(3)} % cold, ${ref.wastedGbMinutes.toFixed(0)} GB-min; loadavg ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

function timed<T>(f: () => T): { v: T; wall: number; cpu: number } {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  const v = f();
  const c = process.cpuUsage(c0);
  return { v, wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const comb = timed(() => combinedForecasts(trace, r, warmup, { hourOfDay: values.hour, bands: !values['no-bands'], learner: values.trees ? 'trees' : 'logistic' }));
console.log(`combiner pass: ${comb.v.fits} fits, wall ${comb.wall.toFixed(2)} s, cpu ${comb.cpu.toFixed(2)} s`);
const names = featureNames({ hourOfDay: values.hour });
comb.v.coefficients.forEach((c, band) => console.log(`band ${band} coefficients: ` + c.map((b, i) => `${names[i]} ${b.toFixed(3)}`).join(', ')));

interface Pt { risk: number; mem: number; cold: number; p75: number }
function sweep(label: string, combined: boolean): Pt[] {
  const pts: Pt[] = [];
  let wall = 0;
  let cpu = 0;
  for (const risk of risks) {
    const run = timed(() => runModelPolicy(trace, r, { risk, warmup, ...(combined ? { combined: comb.v.pAny } : {}) }));
    const s = scoreReplay(trace, r, run.v.w, warmup);
    wall += run.wall;
    cpu += run.cpu;
    pts.push({ risk, mem: s.wastedGbMinutes / ref.wastedGbMinutes, cold: s.coldStartPct, p75: s.p75FunctionColdPct });
    console.log(`${label.padEnd(9)} risk ${String(risk).padEnd(6)} cold ${s.coldStartPct.toFixed(3)} % p75 ${s.p75FunctionColdPct.toFixed(1).padStart(5)} mem ${(s.wastedGbMinutes / ref.wastedGbMinutes).toFixed(3)}x  wall ${run.wall.toFixed(2)} s cpu ${run.cpu.toFixed(2)} s`);
  }
  console.log(`${label}: ${risks.length} risks, wall ${wall.toFixed(1)} s, cpu ${cpu.toFixed(1)} s (${(cpu / risks.length / trace.functions.length / trace.minutes * 1e6).toFixed(2)} us per function-minute)`);
  return pts;
}

function at(pts: Pt[], mem: number, key: 'cold' | 'p75'): number {
  const s = [...pts].sort((a, b) => a.mem - b.mem);
  for (let i = 0; i + 1 < s.length; i++) {
    const a = s[i] as Pt;
    const b = s[i + 1] as Pt;
    if (a.mem <= mem && mem <= b.mem) {
      const u = (Math.log(mem) - Math.log(a.mem)) / (Math.log(b.mem) - Math.log(a.mem));
      return key === 'cold' ? Math.exp(Math.log(a.cold) + u * (Math.log(b.cold) - Math.log(a.cold))) : a.p75 + u * (b.p75 - a.p75);
    }
  }
  return Number.NaN;
}

const old = values['no-old'] ? [] : sweep('choice', false);
const neu = sweep('combiner', true);
console.log('memory  choice cold% (p75)   combiner cold% (p75)   ratio');
for (const m of [0.5, 0.75, 1.0, 1.25, 1.5, 2.0]) {
  const a = at(old, m, 'cold');
  const b = at(neu, m, 'cold');
  console.log(`${m.toFixed(2)}x   ${a.toFixed(4)} (${at(old, m, "p75").toFixed(1)})        ${b.toFixed(4)} (${at(neu, m, 'p75').toFixed(1)})        ${(b / a).toFixed(2)}`);
}
console.log(`loadavg at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
