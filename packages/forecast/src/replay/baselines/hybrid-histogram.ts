// The hybrid histogram policy of Shahrad et al. (USENIX ATC'20, "Serverless in the Wild") on
// minute slots. Interpretations (docs/forecasting.md lists them with reasons):
// - idle time (IT) = b - a between consecutive minutes a < b with invocations (>= 1 minute).
// - histogram: 1-minute bins for IT = 1..240 (4 h); longer ITs are out of bounds (OOB).
// - after the last invocation minute a, slot t = a + g is warm iff preWarm <= g <= keepAliveEnd,
//   where preWarm = max(1, floor(0.9 * p5)) and keepAliveEnd = ceil(1.1 * p99) (p = nearest-rank
//   percentile of the in-bounds ITs). preWarm = 1 means "never unloaded".
// - no IT yet, or CV of the 240 bin counts < 2: standard keep-alive over the whole range
//   (g in 1..240).
// - OOB >= half of the ITs: forecast the next IT (forecastNextIdle: ARIMA) and warm
//   g in [floor(0.85 * pred), ceil(1.15 * pred)] (the paper's 15 % margin on both sides).
// - instances while warm: r at the last invocation minute (what ran last is what is kept).
import { forecastNextIdle } from '../../models/idle-forecast.ts';

export const HISTOGRAM_RANGE_MINUTES = 240;
const CV_REPRESENTATIVE = 2;

interface Window { preWarm: number; end: number }

export function histogramWindow(bins: Int32Array, inBounds: number, idleTimes: readonly number[]): Window {
  const total = idleTimes.length;
  const oob = total - inBounds;
  const whole: Window = { preWarm: 1, end: HISTOGRAM_RANGE_MINUTES };
  if (total === 0) return whole;
  if (oob * 2 >= total) {
    const pred = forecastNextIdle(idleTimes);
    return { preWarm: Math.max(1, Math.floor(0.85 * pred)), end: Math.max(1, Math.ceil(1.15 * pred)) };
  }
  const B = HISTOGRAM_RANGE_MINUTES;
  const mean = inBounds / B;
  let ss = 0;
  for (let i = 0; i < B; i++) ss += ((bins[i] ?? 0) - mean) ** 2;
  const cv = Math.sqrt(ss / B) / mean;
  if (cv < CV_REPRESENTATIVE) return whole;
  const rank = (p: number): number => {
    const need = Math.max(1, Math.ceil(p * inBounds));
    let cum = 0;
    for (let i = 0; i < B; i++) {
      cum += bins[i] ?? 0;
      if (cum >= need) return i + 1; // bin i holds IT = i + 1 minutes
    }
    return B;
  };
  const preWarm = Math.max(1, Math.floor(0.9 * rank(0.05)));
  return { preWarm, end: Math.max(preWarm, Math.ceil(1.1 * rank(0.99))) };
}

/** Causal: w[t] uses r[< t] only. */
export function hybridHistogram(r: readonly Int32Array[]): Int32Array[] {
  return r.map((rf) => {
    const T = rf.length;
    const w = new Int32Array(T);
    const bins = new Int32Array(HISTOGRAM_RANGE_MINUTES);
    const idleTimes: number[] = [];
    let inBounds = 0;
    let last = -1;
    let lastR = 0;
    let win: Window = { preWarm: 1, end: HISTOGRAM_RANGE_MINUTES };
    for (let t = 0; t < T; t++) {
      if (last >= 0) {
        const g = t - last;
        w[t] = g >= win.preWarm && g <= win.end ? lastR : 0;
      }
      const rt = rf[t] ?? 0;
      if (rt > 0) {
        if (last >= 0) {
          const it = t - last;
          idleTimes.push(it);
          if (it <= HISTOGRAM_RANGE_MINUTES) {
            bins[it - 1] = (bins[it - 1] ?? 0) + 1;
            inBounds++;
          }
        }
        last = t;
        lastR = rt;
        win = histogramWindow(bins, inBounds, idleTimes);
      }
    }
    return w;
  });
}
