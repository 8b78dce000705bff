// Heavy users from per-user forecasts: the aggregated demand has no per-user split, so the
// shell keeps each user's newest forecast and this computes, per configuration, the user's
// expected instances (concurrentMean at the horizon x poolMix share) over the configuration's
// expected instances (the aggregated demand's mean at the same horizon).
// Example: user u expects 3.0 instances at h=5m, 80 % on python3.12/M; the pool expects 6.0 ->
// share 0.4 >= 0.3 -> heavy user of python3.12/M.
import type { UserForecast } from '@warmcast/kit';
import type { DemandRef, HeavyUser } from './inputs.ts';

export function heavyUsers(forecasts: Iterable<UserForecast>, demand: readonly DemandRef[], minShare: number, horizonMinutes = 5): HeavyUser[] {
  const poolMean = new Map<string, number>();
  for (const d of demand) if (d.demand.horizonMinutes === horizonMinutes) poolMean.set(`${d.demand.pool.runtime}/${d.demand.pool.sizeClass}`, d.demand.mean);
  const out: HeavyUser[] = [];
  for (const f of forecasts) {
    const h = f.horizons.find((x) => x.horizonMinutes === horizonMinutes);
    if (h === undefined) continue;
    for (const [config, mix] of Object.entries(f.poolMix)) {
      const total = poolMean.get(config);
      if (total === undefined || total < 1) continue;
      const share = Math.min(1, (h.concurrentMean * mix) / total);
      // The profile names what to preload: the adapters resolve it to the user's software.
      if (share >= minShare) out.push({ userKey: f.userKey, config, share, profile: `user:${f.userKey.slice(0, 12)}@${config.split('/')[0] ?? config}` });
    }
  }
  return out.sort((a, b) => b.share - a.share || (a.userKey < b.userKey ? -1 : 1));
}
