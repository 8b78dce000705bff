// One user's forecast at a tick: the model's per-minute P(any) and sizes -> window distributions
// per horizon (window-forecast.ts), CPU and memory scaled from peak instances, mixes, tier,
// priority and the per-request need.
//
// CPU and memory quantiles = peak-instance quantiles x the user's median busy cores (memory: median
// peak MiB) per request: comonotone scaling, so per-request spread is not added (documented).
import type { UserForecastInput } from '@warmcast/kit';
import type { ModelSelector } from '@warmcast/forecast';
import type { PendingForecast, UserState } from './user-state.ts';
import { shares } from './user-state.ts';
import { windowForecast } from './window-forecast.ts';
import { requestNeed } from './request-need.ts';
import type { FittedNeed } from './request-need.ts';
import { q4 } from './stats-math.ts';

/** The model's empirical sizes, read back through SizeDistribution.quantile at mid-ranks (i + 0.5) / n, which return exactly the i-th smallest sample. */
export function modelSizes(sel: ModelSelector, which: 'count' | 'instances'): number[] {
  const n = sel.sizes.size;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(sel.sizes.quantile((i + 0.5) / n, 1, which));
  return out;
}

export interface UserForecastResult {
  readonly forecast: UserForecastInput;
  readonly pending: PendingForecast;
}

/** pre: sel has observed every minute < M = tickTime / 60000. */
export function forecastUser(s: UserState, sel: ModelSelector, tickTime: number, horizons: readonly number[], fitted: FittedNeed | undefined): UserForecastResult {
  const M = tickTime / 60_000;
  const maxH = horizons[horizons.length - 1] ?? 0;
  const p: number[] = [];
  for (let k = 0; k < maxH; k++) p.push(sel.pAny(M + k));
  const windows = windowForecast(p, modelSizes(sel, 'count'), modelSizes(sel, 'instances'), horizons);
  const need = requestNeed(s, fitted);
  const cores = need.cpuCores.p50;
  const mem = need.memoryMb.p50;
  const model = sel.chosen.name;
  const forecast: UserForecastInput = {
    userKey: s.userKey,
    tickTime,
    horizons: windows.map((w) => ({
      horizonMinutes: w.horizonMinutes,
      requests: q4(w.requests),
      concurrentInstances: q4(w.instances),
      cpuCores: q4(w.instances.map((x) => x * cores)),
      memoryMb: q4(w.instances.map((x) => x * mem)),
      pAny: w.pAny,
      concurrentMean: w.instanceMean,
      concurrentVariance: w.instanceVariance,
    })),
    runtimeMix: shares(s.runtimeMix),
    poolMix: shares(s.poolMix),
    tier: s.tier,
    priority: s.priority,
    requestNeed: { cpuCores: need.cpuCores, memoryMb: need.memoryMb, durationMs: need.durationMs, source: need.source },
    model,
    // event time, not wall time: the output must be a function of the input sequence
    producedAt: tickTime,
  };
  const pending: PendingForecast = {
    t: tickTime,
    model,
    cores,
    mem,
    h: windows.map((w) => [w.horizonMinutes, w.requests, w.instances, false]),
  };
  return { forecast, pending };
}
