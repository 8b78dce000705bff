// Vertical resize of variable-resource pools (`<runtime>/var`). The per-VM prediction is the
// cluster's expected memory (and CPU) divided by the expected concurrent instances of all
// configurations at the same horizon: the average VM the forecast asks for. Means, not upper
// bounds: a ratio of two upper bounds is not an upper bound of anything.
// Example: cluster memoryMbMean 12 800 MiB over 10 expected instances = 1280 MiB per VM; the
// pool allocates 1024 MiB; |1280 - 1024| / 1024 = 25 % > 20 % -> RESIZE to 1280 MiB. At 1126 MiB
// (+10 %) nothing happens. New sizes round up to 64 MiB and 0.25 cores.
import type { ClusterRef, DemandRef } from './inputs.ts';
import type { Allocation } from './state.ts';

export interface PerVmPrediction {
  readonly cpuCores: number;
  readonly memoryMb: number;
  readonly horizonMinutes: number;
  readonly ref: string;
  readonly instances: number;
}

/** null when there is no cluster load or fewer than 1 expected instance at that horizon. */
export function perVmPrediction(cluster: readonly ClusterRef[], demand: readonly DemandRef[], leadMs: number): PerVmPrediction | null {
  const sorted = [...cluster].sort((a, b) => a.load.horizonMinutes - b.load.horizonMinutes);
  const c = sorted.find((x) => x.load.horizonMinutes * 60_000 >= leadMs) ?? sorted[sorted.length - 1];
  if (c === undefined) return null;
  const h = c.load.horizonMinutes;
  const instances = demand.filter((d) => d.demand.horizonMinutes === h).reduce((s, d) => s + d.demand.mean, 0);
  if (instances < 1) return null;
  return { cpuCores: c.load.cpuCoresMean / instances, memoryMb: c.load.memoryMbMean / instances, horizonMinutes: h, ref: c.ref, instances };
}

export interface ResizeDecision {
  readonly allocation: Allocation;
  readonly text: string;
  /** The allocation value that was compared against (MiB when memory triggered, else cores). */
  readonly bound: number;
}

function deviationPct(predicted: number, allocated: number): number {
  return allocated > 0 ? (Math.abs(predicted - allocated) / allocated) * 100 : Number.POSITIVE_INFINITY;
}

/** null = within the threshold. */
export function resizeFor(pred: PerVmPrediction, alloc: Allocation, thresholdPct: number): ResizeDecision | null {
  const mem = deviationPct(pred.memoryMb, alloc.memoryMb);
  const cpu = deviationPct(pred.cpuCores, alloc.cpuCores);
  const memHit = mem > thresholdPct;
  const cpuHit = cpu > thresholdPct;
  if (!memHit && !cpuHit) return null;
  const allocation = {
    memoryMb: memHit ? Math.max(64, Math.ceil(pred.memoryMb / 64) * 64) : alloc.memoryMb,
    cpuCores: cpuHit ? Math.max(0.25, Math.ceil(pred.cpuCores / 0.25) * 0.25) : alloc.cpuCores,
  };
  const parts = [
    `memory ${Math.round(pred.memoryMb)} MiB vs ${alloc.memoryMb} allocated (${Math.round(mem)} %)`,
    `cpu ${pred.cpuCores.toFixed(2)} vs ${alloc.cpuCores} cores (${Math.round(cpu)} %)`,
  ];
  return {
    allocation,
    bound: memHit ? alloc.memoryMb : alloc.cpuCores,
    text: `predicted per VM at h=${pred.horizonMinutes}m over ${pred.instances.toFixed(1)} expected instances: ${parts.join(', ')}; threshold ${thresholdPct} % -> ${allocation.cpuCores} cores / ${allocation.memoryMb} MiB`,
  };
}

/** Coefficient of variation of the predicted memory (sd / mean): how widely VM sizes may vary. */
export function memoryCv(c: ClusterRef): number {
  return c.load.memoryMbMean > 0 ? Math.sqrt(Math.max(0, c.load.memoryMbVariance)) / c.load.memoryMbMean : 0;
}
