/**
 * Dev bench for the global neural model on the real trace (Azure Functions 2019 sample,
 * CC-BY 4.0, Microsoft; a sample of 676 functions, see /work/shared/data/README.md).
 * Trains on day minutes 0..719, then, for every minute t in 720..1439, predicts all functions
 * in one batch from their last W minutes and scores P(any at t) against:
 *   - rate60: the function's share of active minutes over the last 60, smoothed
 *     (k + 0.5) / (60 + 1) so that log loss stays finite;
 *   - prev:   "same as the previous minute", 1 - EPS or EPS.
 * Every prediction is clipped to [EPS, 1 - EPS] before log loss (EPS = 1e-3).
 *
 *   npx tsx packages/forecast/bench/neural.bench.ts [--epochs 12] [--backend auto] [--seed 1] [--data path]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { GlobalNeuralModel } from '../src/neural/index.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/azure-functions-2019/day-inv.csv' },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '1' },
    'max-series': { type: 'string' },
  },
});
const EPS = 1e-3;
const WARMUP = 720;

function loadDay(path: string): Float64Array[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const first = header.indexOf('minute_1');
  if (first < 0) throw new Error(`${path}: no minute_1 column`);
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row = new Float64Array(1440);
    for (let m = 0; m < 1440; m++) row[m] = Number(cells[first + m] ?? 0) || 0;
    return row;
  });
}

class Score {
  logLoss = 0;
  brier = 0;
  n = 0;
  add(p: number, y: number): void {
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    this.logLoss -= y ? Math.log(q) : Math.log(1 - q);
    this.brier += (p - y) ** 2;
    this.n++;
  }
  toString(): string { return `logloss ${(this.logLoss / this.n).toFixed(4)}  brier ${(this.brier / this.n).toFixed(4)}`; }
}

const series = loadDay(values.data);
const backend = values.backend as 'auto' | 'wasm' | 'cpu' | 'tensorflow';
const model = await GlobalNeuralModel.create({
  backend,
  seed: Number(values.seed),
  ...(values.epochs !== undefined ? { epochs: Number(values.epochs) } : {}),
  ...(values['max-series'] !== undefined ? { maxSeries: Number(values['max-series']) } : {}),
});
const fitCpu0 = process.cpuUsage();
const fit = await model.fit(series.map((s) => s.subarray(0, WARMUP)), 0);
const fitCpu = process.cpuUsage(fitCpu0);
console.log(`load average at start ${loadavg().map((v) => v.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log(`functions ${series.length}; fit on minutes 0..${WARMUP - 1}: ${fit.seconds.toFixed(1)} s wall, ${((fitCpu.user + fitCpu.system) / 1e6).toFixed(1)} s CPU, final loss ${fit.finalLoss.toFixed(4)}, backend ${fit.backend}`);

const W = model.windowMinutes;
const nn = new Score();
const nn5 = new Score();
const rate = new Score();
const prev = new Score();
const latencies: number[] = [];
const cpuMs: number[] = [];
let covered50 = 0;
let covered90 = 0;
let positives = 0;
let positivesIn90 = 0;
for (let t = WARMUP; t < 1440; t++) {
  const inputs = series.map((s) => ({ recent: s.subarray(t - W, t), minuteOfDay: t }));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await model.predict(inputs, 5, [0.5, 0.9]);
  latencies.push(performance.now() - t0);
  const c1 = process.cpuUsage(c0);
  cpuMs.push((c1.user + c1.system) / 1000);
  series.forEach((s, f) => {
    const y = (s[t] as number) > 0 ? 1 : 0;
    const fc = out[f]!;
    nn.add(fc.pAny[0]!, y);
    if (t + 4 < 1440) nn5.add(fc.pAny[4]!, (s[t + 4] as number) > 0 ? 1 : 0);
    let k = 0;
    for (let m = t - 60; m < t; m++) if ((s[m] as number) > 0) k++;
    rate.add((k + 0.5) / 61, y);
    prev.add((s[t - 1] as number) > 0 ? 1 - EPS : EPS, y);
    const c = s[t] as number;
    if (c <= fc.countQuantiles[0]!) covered50++;
    if (c <= fc.countQuantiles[1]!) covered90++;
    if (c > 0) { positives++; if (c <= fc.countQuantiles[1]!) positivesIn90++; }
  });
}
model.dispose();
latencies.sort((a, b) => a - b);
cpuMs.sort((a, b) => a - b);
const pct = (q: number, xs = latencies): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
const pairs = nn.n;
console.log(`predict, batch of ${series.length}, ${latencies.length} calls: median ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms wall; CPU time median ${pct(0.5, cpuMs).toFixed(1)} ms, p95 ${pct(0.95, cpuMs).toFixed(1)} ms (wall includes waiting for a core on a shared machine)`);
console.log(`P(any) at t+1 over minutes ${WARMUP}..1439 (${pairs} function-minutes, ${(100 * positives / pairs).toFixed(1)} % active):`);
console.log(`  neural  ${nn}`);
console.log(`  rate60  ${rate}`);
console.log(`  prev    ${prev}`);
console.log(`  neural t+5: ${nn5}`);
console.log(`count at t+1: share <= q0.5 ${(covered50 / pairs).toFixed(3)}, <= q0.9 ${(covered90 / pairs).toFixed(3)}; among active minutes <= q0.9 ${(positivesIn90 / positives).toFixed(3)}`);
