// Trains the global neural model on the first `fitEnd` minutes of a trace and computes, for every
// later minute t and every function, P(any request at t) from the window of minutes < t, one
// batched predict call per minute (676 functions -> one call). No retraining inside the replay:
// one fit takes ~56 s on this machine (src/neural/README.md), six refits would dominate the run.
import { GlobalNeuralModel } from '../neural/index.ts';
import type { NeuralTrainingOptions } from '../neural/index.ts';
import type { Trace } from './trace.ts';

export interface NeuralForecasts {
  /** pAny[f][t], valid for t >= from */
  readonly pAny: Float32Array[];
  readonly from: number;
  readonly fitSeconds: number;
  readonly finalLoss: number;
  readonly backend: string;
  readonly predictSeconds: number;
}

/** pre: 2 <= fitEnd < trace.minutes. clockMs: monotonic milliseconds (the shell passes performance.now). */
export async function neuralForecasts(
  trace: Trace,
  fitEnd: number,
  opts: NeuralTrainingOptions & { clockMs: () => number; onProgress?: (t: number, total: number) => void },
): Promise<NeuralForecasts> {
  const { clockMs, onProgress, ...training } = opts;
  const model = await GlobalNeuralModel.create(training);
  try {
    const fit = await model.fit(trace.counts.map((c) => c.subarray(0, fitEnd)), trace.startMinuteOfDay);
    const W = model.windowMinutes;
    const pAny = trace.counts.map(() => new Float32Array(trace.minutes));
    const t0 = clockMs();
    for (let t = fitEnd; t < trace.minutes; t++) {
      const inputs = trace.counts.map((c) => ({ recent: c.subarray(Math.max(0, t - W), t), minuteOfDay: (trace.startMinuteOfDay + t) % 1440 }));
      const out = await model.predict(inputs, 1, [0.5]);
      out.forEach((o, f) => {
        (pAny[f] as Float32Array)[t] = o.pAny[0] ?? 0;
      });
      if (onProgress && (t - fitEnd) % 60 === 59) onProgress(t - fitEnd + 1, trace.minutes - fitEnd);
    }
    return { pAny, from: fitEnd, fitSeconds: fit.seconds, finalLoss: fit.finalLoss, backend: fit.backend, predictSeconds: (clockMs() - t0) / 1000 };
  } finally {
    model.dispose();
  }
}
