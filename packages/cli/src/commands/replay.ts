/**
 * `warmcast replay`: replays a trace (either layout of /work/shared/data) through the baselines
 * (fixed keep-alive 1..240 min, hybrid histogram) and warmcast's keep-warm policy with its risk
 * knob swept, prints a table, and optionally writes a JSON report, the frontier as SVG and the
 * decisions of warmcast's policy at --risk. --warmup counts minute slots from the FIRST minute
 * column (default: half the trace: 720 for the day, 240 = 08:00-12:00 for the 8h sample).
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  RISK_SWEEP, TraceError, combinedForecasts, combinerFeatureNames, defaultWarmup, neuralForecasts, formatDecisions, formatReportTable, frontierSvg, instanceMatrix, loadTrace, runModelPolicy, runReplay,
  type FrontierSeries, type ReplayReport,
} from '@warmcast/forecast';

interface ReplayFlags {
  trace: string;
  warmup?: number;
  policy: string;
  risk: number;
  sweep: boolean;
  decisions?: string;
  report?: string;
  plot?: string;
  neural: boolean;
  neuralEpochs?: number;
  combiner: boolean;
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${JSON.stringify(value)} is not a non-negative integer`);
  return Number(value);
}

function risk(value: string): number {
  const v = Number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`${JSON.stringify(value)} must be a number in (0, 1)`);
  return v;
}

function progressBar(label: string, t: number, total: number): void {
  const width = 30;
  const done = Math.round((t / total) * width);
  process.stderr.write(`\r${label.padEnd(24)} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${t}/${total}${t === total ? '\n' : ''}`);
}

function plotSeries(rep: ReplayReport): FrontierSeries[] {
  const pt = (label: string) => (x: ReplayReport['results'][number]) => ({ memoryVsFixed10: x.memoryVsFixed10, coldStartPct: x.coldStartPct, label: label + String(x.parameter ?? '') });
  return [
    { name: 'fixed keep-alive', color: '#d62728', points: rep.results.filter((x) => x.family === 'fixed').map(pt('K=')) },
    { name: 'hybrid histogram', color: '#2ca02c', points: rep.results.filter((x) => x.family === 'hybrid').map(pt('')) },
    { name: 'warmcast', color: '#1f77b4', points: rep.results.filter((x) => x.family === 'warmcast').map(pt('risk=')) },
    { name: 'warmcast + neural', color: '#9467bd', points: rep.results.filter((x) => x.family === 'warmcast+neural').map(pt('risk=')) },
  ].filter((s) => s.points.length > 0);
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('replay a function trace through keep-alive baselines and warmcast\'s keep-warm policy; score cold starts vs idle memory')
    .requiredOption('--trace <dir>', 'trace directory (day-inv.csv/day-run.csv/day-mem.csv or invocations.csv/durations.csv/memory.csv)')
    .option('--warmup <minutes>', 'unscored warm-up, in minutes from the first minute column (default: half the trace)', integer)
    .option('--policy <name>', 'all | fixed | fixed-K | hybrid | warmcast', 'all')
    .option('--risk <x>', 'warmcast risk knob in (0,1) for --decisions, and the only value run with --no-sweep', risk, 0.04)
    .option('--no-sweep', 'run warmcast at --risk only instead of sweeping the knob')
    .option('--decisions <file>', 'write function,minute,warm of warmcast at --risk (rows with warm > 0)')
    .option('--report <file>', 'write the results as JSON')
    .option('--plot <file>', 'write the cold-start vs memory frontier as SVG')
    .option('--neural', 'also run warmcast with the global neural model as a candidate (trained on warm-up minutes before warmup - 120; ~1-2 min extra)', false)
    .option('--neural-epochs <n>', 'training epochs of the neural model (default 12)', integer)
    .option('--no-combiner', 'leave the global learned combiner out of warmcast\'s model choice (the figures before it)')
    .action(async (flags: ReplayFlags) => {
      try {
        await replay(flags);
      } catch (err) {
        // bad input (missing trace, bad header, warm-up out of range) is reported, not thrown
        if (err instanceof TraceError || err instanceof RangeError) {
          process.stderr.write(`warmcast replay: ${err instanceof TraceError ? `${err.code}: ` : ''}${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}

async function replay(flags: ReplayFlags): Promise<void> {
  const t0 = performance.now();
  const trace = loadTrace(flags.trace);
  const warmup = flags.warmup ?? defaultWarmup(trace);
  if (warmup >= trace.minutes) throw new RangeError(`--warmup ${warmup} outside [0, ${trace.minutes}) for this trace`);
  const tty = process.stderr.isTTY === true;
  // the network trains on minutes before fitEnd; the 120 minutes (a third of a short
  // warm-up) up to the warm-up's end give the model choice out-of-sample loss to compare
  const fitEnd = warmup - Math.min(120, Math.floor(warmup / 3));
  const neural = flags.neural
    ? await neuralForecasts(trace, fitEnd, {
        clockMs: () => performance.now(),
        ...(flags.neuralEpochs !== undefined ? { epochs: flags.neuralEpochs } : {}),
        ...(tty ? { onProgress: (t: number, total: number) => progressBar('neural predict', t, total) } : {}),
      })
    : undefined;
  const tc = performance.now();
  const r = instanceMatrix(trace);
  const comb = flags.combiner && flags.policy !== 'fixed' && flags.policy !== 'hybrid' && !/^fixed-/.test(flags.policy) ? combinedForecasts(trace, r, warmup) : undefined;
  const combSeconds = (performance.now() - tc) / 1000;
  const risks = flags.sweep ? [...new Set([...RISK_SWEEP, flags.risk])].sort((a, b) => a - b) : [flags.risk];
  const rep = runReplay(trace, {
    warmup,
    policy: flags.policy,
    risks,
    clockMs: () => performance.now(),
    ...(neural ? { neural } : {}),
    ...(comb ? { combined: comb.pAny } : {}),
    ...(tty ? { onProgress: progressBar } : {}),
  });
  if (comb) rep.combiner = { fits: comb.fits, seconds: combSeconds, features: combinerFeatureNames(), coefficientsByBand: comb.coefficients };
  if (neural) {
    rep.neural = { fitSeconds: neural.fitSeconds, predictSeconds: neural.predictSeconds, backend: neural.backend, finalLoss: neural.finalLoss, trainedOnMinutes: fitEnd };
  }
  process.stdout.write(
    `trace ${flags.trace}: ${trace.layout} layout, ${trace.functions.length} functions, ${trace.minutes} minutes from minute-of-day ${trace.startMinuteOfDay}; warm-up ${warmup}, scored ${trace.minutes - warmup}\n` +
      `fixed-10 reference: cold ${rep.fixed10.coldStartPct.toFixed(3)} %, wasted ${rep.fixed10.wastedGbMinutes.toFixed(0)} GB-minutes\n` +
      (comb ? `combiner: ${comb.fits} hourly fits over all functions in ${combSeconds.toFixed(1)} s (shared by every knob value)\n` : '') +
      (neural ? `neural model: trained on minutes 0..${fitEnd - 1} in ${neural.fitSeconds.toFixed(1)} s (${neural.backend}), batched predictions for ${trace.minutes - fitEnd} minutes in ${neural.predictSeconds.toFixed(1)} s\n` : '') +
      formatReportTable(rep) + '\n',
  );
  if (flags.report) writeFileSync(flags.report, JSON.stringify(rep, null, 2) + '\n');
  if (flags.plot) writeFileSync(flags.plot, frontierSvg(`${trace.layout} trace: cold starts vs idle memory (scored after minute ${warmup})`, plotSeries(rep)));
  if (flags.decisions) {
    const run = runModelPolicy(trace, r, { risk: flags.risk, warmup, ...(neural ? { neural } : {}), ...(comb ? { combined: comb.pAny } : {}) });
    writeFileSync(flags.decisions, formatDecisions(trace, run.w));
  }
  process.stdout.write(`total ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
