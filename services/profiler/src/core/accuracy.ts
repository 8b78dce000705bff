// Scoring a kept forecast against what then happened in [tick, tick + H), from the closed
// minute history: requests = sum of counts, concurrent_instances / cpu_cores / memory_mb = the
// peak minute. Per metric: the mean pinball loss over p10/p50/p90/p99, 80 % interval coverage
// (p10 <= actual <= p90), the one-sided p99 bound, and under-provisioning max(0, actual - p90).
// Worked example: q = (0, 1, 3, 5), actual 4 -> losses 0.4, 1.5, 0.9, 0.01 (mean 0.7025); not
// covered80, covered98, underProvisioned 1.
import type { ForecastAccuracyInput } from '@warmcast/kit';
import type { ClosedMinute, PendingForecast } from './user-state.ts';
import { LEVELS, pinball } from './stats-math.ts';
import { MINUTE_MS } from './options.ts';

export const METRICS = ['requests', 'concurrent_instances', 'cpu_cores', 'memory_mb'] as const;

export interface Actuals {
  readonly requests: number;
  readonly instances: number;
  readonly cpu: number;
  readonly memory: number;
}

/** Actuals over minutes [from, from + H) of an ascending closed history. */
export function actualsOver(history: readonly ClosedMinute[], from: number, H: number): Actuals {
  let requests = 0;
  let instances = 0;
  let cpu = 0;
  let memory = 0;
  // binary search for the first minute >= from: a day-long history holds up to 2 x 1440 minutes
  // and every kept forecast is scored 4 times, so a scan from the start cost O(history) each
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((history[mid]?.[0] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < history.length; k++) {
    const rec = history[k];
    if (!rec) break;
    const [m, n, i, c, mem] = rec;
    if (m >= from + H) break;
    requests += n;
    instances = Math.max(instances, i);
    cpu = Math.max(cpu, c);
    memory = Math.max(memory, mem);
  }
  return { requests, instances, cpu, memory };
}

export function scoreQuantiles(q: readonly number[], actual: number): { pinballLoss: number; covered80: boolean; covered98: boolean; underProvisioned: number } {
  const loss = LEVELS.reduce((s, level, i) => s + pinball(level, q[i] ?? 0, actual), 0) / LEVELS.length;
  return {
    pinballLoss: loss,
    covered80: (q[0] ?? 0) <= actual && actual <= (q[2] ?? 0),
    covered98: actual <= (q[3] ?? 0),
    underProvisioned: Math.max(0, actual - (q[2] ?? 0)),
  };
}

/**
 * Scores every horizon of `p` that closed by minute `closedBefore` and is not scored yet (marks it
 * scored). Returns the accuracy records.
 */
export function scorePending(userKey: string, p: PendingForecast, history: readonly ClosedMinute[], closedBefore: number): ForecastAccuracyInput[] {
  const out: ForecastAccuracyInput[] = [];
  const from = p.t / MINUTE_MS;
  for (const h of p.h) {
    const [H, req, inst, scored] = h;
    if (scored || from + H > closedBefore) continue;
    h[3] = true;
    const cpu = inst.map((x) => x * p.cores);
    const mem = inst.map((x) => x * p.mem);
    const a = actualsOver(history, from, H);
    const rows: [string, number[], number][] = [[METRICS[0], req, a.requests], [METRICS[1], inst, a.instances], [METRICS[2], cpu, a.cpu], [METRICS[3], mem, a.memory]];
    for (const [metric, q, actual] of rows) {
      out.push({
        userKey, tickTime: p.t, horizonMinutes: H, metric, model: p.model,
        p10: q[0] ?? 0, p50: q[1] ?? 0, p90: q[2] ?? 0, p99: q[3] ?? 0, actual,
        ...scoreQuantiles(q, actual),
        scoredAt: p.t + H * MINUTE_MS,
      });
    }
  }
  return out;
}
