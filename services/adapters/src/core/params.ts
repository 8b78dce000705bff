// Simulator parameters, their defaults and validation (docs/simulator.md explains each one).
// Pure: parse + freeze once at start-up; errors name the key, the value and what is allowed.
import type { FixedSizeClass, Market } from './pool-id.ts';

/** Lognormal: median (ms) and sigma of ln(duration). p95 = median * e^(1.645 sigma). */
export interface Lognormal {
  readonly medianMs: number;
  readonly sigma: number;
}

export interface SimulatorParams {
  /** Written into every result / status / outcome. */
  readonly adapter: string;
  /** PRNG seed: every random draw (boot, preload, spot) comes from it, so a run is reproducible. */
  readonly seed: number;
  /** Boot time of a new VM / container. */
  readonly boot: Lognormal;
  /** Extra time to preload a user's software profile (PRELOAD), after boot. */
  readonly preload: Lognormal;
  /** Outcome window, event time. */
  readonly windowMs: number;
  /** VMs launched by a cold start stop this long after their last request (the no-prediction baseline). */
  readonly keepAliveMs: number;
  /** VMs launched by commands stop after this long idle, if the scaler never terminates them. */
  readonly managedIdleLimitMs: number;
  /** How long a request keeps a VM busy when the event carries no metrics.durationMs. */
  readonly defaultDurationMs: number;
  /** At most one status per pool per this much event time on change (every window regardless). */
  readonly statusMinIntervalMs: number;
  /** Maximum VMs per pool (booting + idle + busy), by market; per-pool overrides below. */
  readonly capacity: Readonly<Record<Market, number>>;
  /** Exact pool id -> capacity. */
  readonly capacityByPool: Readonly<Record<string, number>>;
  /** On-demand price per vCPU-hour, GiB-hour and GPU-hour (cost per VM-second follows from its size). */
  readonly prices: { readonly vcpuHour: number; readonly gibHour: number; readonly gpuHour: number };
  /** Price multiplier per market; reserved capacity is paid whether used or not. */
  readonly marketMultiplier: Readonly<Record<Market, number>>;
  /** Spot interruptions per VM-hour (exponential inter-arrival). */
  readonly spotHazardPerHour: number;
  /** Request ids remembered to ignore a second event for the same request (REQUEST then PAIRED, redelivery). */
  readonly requestMemory: number;
}

// Boot medians from public measurements: containers ~1-3 s (Knative/Lambda cold starts), full VMs
// 5-10 s. Sigma 0.35 puts p95 at 1.78x the median (2.5 s -> 4.4 s).
export const BOOT_PRESETS: Readonly<Record<'container' | 'microvm' | 'vm', Lognormal>> = Object.freeze({
  container: { medianMs: 2500, sigma: 0.35 },
  microvm: { medianMs: 1000, sigma: 0.3 },
  vm: { medianMs: 8000, sigma: 0.3 },
});

export const DEFAULT_PARAMS: SimulatorParams = Object.freeze({
  adapter: 'simulator',
  seed: 1,
  boot: BOOT_PRESETS.container,
  preload: { medianMs: 5000, sigma: 0.5 },
  windowMs: 60_000,
  keepAliveMs: 600_000, // 10 min: the fixed keep-alive of Shahrad et al. / AWS Lambda-like platforms
  managedIdleLimitMs: 3_600_000, // 1 h: a safety net if the scaler forgets a pool; it normally terminates
  defaultDurationMs: 1000,
  statusMinIntervalMs: 1000,
  capacity: { 'on-demand': 100, spot: 50, reserved: 10 },
  capacityByPool: {},
  // AWS Fargate on-demand list prices (us-east-1, 2024): $0.04048 per vCPU-hour, $0.004445 per GB-hour;
  // a T4 GPU ~$0.526/h (g4dn.xlarge). An M VM (1 vCPU, 1 GiB) costs $0.0449/h = 1.25e-5 per second.
  prices: { vcpuHour: 0.04048, gibHour: 0.004445, gpuHour: 0.526 },
  marketMultiplier: { 'on-demand': 1, reserved: 0.6, spot: 0.3 },
  spotHazardPerHour: 0.05, // 5 % per VM-hour: AWS's "<5 %" interruption-frequency band
  requestMemory: 100_000,
});

export class ParamError extends Error {
  constructor(readonly key: string, readonly value: unknown, readonly allowed: string) {
    super(`${key}=${JSON.stringify(value)} must be ${allowed}`);
    this.name = 'ParamError';
  }
}

export type SimulatorOptions = Partial<Omit<SimulatorParams, 'capacity' | 'prices' | 'marketMultiplier'>> & {
  readonly capacity?: Partial<Record<Market, number>>;
  readonly prices?: Partial<SimulatorParams['prices']>;
  readonly marketMultiplier?: Partial<Record<Market, number>>;
};

function num(key: string, v: unknown, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ParamError(key, v, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return v;
}

function lognormal(key: string, v: Lognormal): Lognormal {
  return Object.freeze({ medianMs: num(`${key}.medianMs`, v.medianMs, 1, 3_600_000), sigma: num(`${key}.sigma`, v.sigma, 0, 3) });
}

/** Defaults < options; validated and frozen. Throws ParamError naming the key. */
export function simulatorParams(options: SimulatorOptions = {}): SimulatorParams {
  const o = { ...DEFAULT_PARAMS, ...options };
  const capacity = { ...DEFAULT_PARAMS.capacity, ...options.capacity };
  const prices = { ...DEFAULT_PARAMS.prices, ...options.prices };
  const mm = { ...DEFAULT_PARAMS.marketMultiplier, ...options.marketMultiplier };
  if (typeof o.adapter !== 'string' || o.adapter === '') throw new ParamError('adapter', o.adapter, 'a non-empty string');
  const byPool: Record<string, number> = {};
  for (const [id, c] of Object.entries(o.capacityByPool)) byPool[id] = num(`capacityByPool[${id}]`, c, 0, 100_000, true);
  return Object.freeze({
    adapter: o.adapter,
    seed: num('seed', o.seed, 0, 2 ** 32 - 1, true),
    boot: lognormal('boot', o.boot),
    preload: lognormal('preload', o.preload),
    windowMs: num('windowMs', o.windowMs, 1000, 86_400_000, true),
    keepAliveMs: num('keepAliveMs', o.keepAliveMs, 0, 86_400_000, true),
    managedIdleLimitMs: num('managedIdleLimitMs', o.managedIdleLimitMs, 0, 30 * 86_400_000, true),
    defaultDurationMs: num('defaultDurationMs', o.defaultDurationMs, 0, 86_400_000, true),
    statusMinIntervalMs: num('statusMinIntervalMs', o.statusMinIntervalMs, 0, 3_600_000, true),
    capacity: Object.freeze({
      'on-demand': num('capacity.on-demand', capacity['on-demand'], 0, 100_000, true),
      spot: num('capacity.spot', capacity.spot, 0, 100_000, true),
      reserved: num('capacity.reserved', capacity.reserved, 0, 100_000, true),
    }),
    capacityByPool: Object.freeze(byPool),
    prices: Object.freeze({ vcpuHour: num('prices.vcpuHour', prices.vcpuHour, 0, 1000), gibHour: num('prices.gibHour', prices.gibHour, 0, 1000), gpuHour: num('prices.gpuHour', prices.gpuHour, 0, 1000) }),
    marketMultiplier: Object.freeze({
      'on-demand': num('marketMultiplier.on-demand', mm['on-demand'], 0, 10),
      spot: num('marketMultiplier.spot', mm.spot, 0, 10),
      reserved: num('marketMultiplier.reserved', mm.reserved, 0, 10),
    }),
    spotHazardPerHour: num('spotHazardPerHour', o.spotHazardPerHour, 0, 3600),
    requestMemory: num('requestMemory', o.requestMemory, 1, 10_000_000, true),
  });
}

/** On-demand cost of one VM of this size per millisecond. */
export function costPerMs(prices: SimulatorParams['prices'], cpuCores: number, memoryMb: number, gpus: number): number {
  return (cpuCores * prices.vcpuHour + (memoryMb / 1024) * prices.gibHour + gpus * prices.gpuHour) / 3_600_000;
}

export type { FixedSizeClass };
