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
import type { RequestNeedOut } from './request-need.ts';
import type { CachedModel } from './user-model.ts';
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

/** pre: model.selector has observed every minute < M = tickTime / 60000; need = requestNeed(s, the partition's fit). */
export function forecastUser(s: UserState, model: CachedModel, tickTime: number, horizons: readonly number[], need: RequestNeedOut): UserForecastResult {
  const sel = model.selector;
  const M = tickTime / 60_000;
  const maxH = horizons[horizons.length - 1] ?? 0;
  const p: number[] = [];
  for (let k = 0; k < maxH; k++) p.push(sel.pAny(M + k));
  const sizes = (model.sizes ??= { counts: modelSizes(sel, 'count'), instances: modelSizes(sel, 'instances') });
  const windows = windowForecast(p, sizes.counts, sizes.instances, horizons);
  const cores = need.cpuCores.p50;
  const mem = need.memoryMb.p50;
  const modelName = sel.chosen.name;
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
    model: modelName,
    // event time, not wall time: the output must be a function of the input sequence
    producedAt: tickTime,
  };
  const pending: PendingForecast = {
    t: tickTime,
    model: modelName,
    cores,
    mem,
    h: windows.map((w) => [w.horizonMinutes, w.requests, w.instances, false]),
  };
  return { forecast, pending };
}
