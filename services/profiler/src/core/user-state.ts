// One user's profile as plain data: what is serialized to the changelog (JSON) and restored.
// Models are NOT stored: user-model.ts rebuilds them deterministically from `history`.
// Memory per user is bounded: history keeps only minutes with requests of the last 2 G minutes
// (<= 2 x 1440 tuples by default), the usage ring 64 requests, mixes a few keys, pending
// forecasts horizonMax / (tickMinutes x scoreEveryTicks) entries (24 by default).

/** A closed minute with requests: [minute, requests, instances, cpu cores demand, memory MiB demand]. */
export type ClosedMinute = [number, number, number, number, number];

/** A minute still open (event time not yet past it): sums folded from events. */
export interface OpenMinute {
  n: number;
  usageN: number;
  durSum: number;
  coresSum: number;
  memSum: number;
}

/**
 * A forecast kept for scoring: per horizon [minutes, requests q4, instances q4, scored]; CPU and
 * memory quantiles are instances x `cores` / x `mem` (as published), so they are not stored twice.
 */
export interface PendingForecast {
  readonly t: number;
  readonly model: string;
  readonly cores: number;
  readonly mem: number;
  readonly h: [number, number[], number[], boolean][];
}

export interface UserState {
  readonly userKey: string;
  firstMinute: number;
  lastEventTime: number;
  /** offset of the last input event folded into this state */
  sourceOffset: number;
  /** last tick at which this user was processed (forecast, closed minutes or scored), -1 before */
  lastTick: number;
  /** closed minutes with requests, ascending */
  history: ClosedMinute[];
  /** minute -> sums, for minutes not closed yet */
  open: Record<string, OpenMinute>;
  /** last USAGE_RING requests' [busy cores, peak MiB, duration ms], ring */
  usage: [number, number, number][];
  usageNext: number;
  ioBytesMean: number;
  netBytesMean: number;
  gpuMsMean: number;
  gpuShare: number;
  coldStarts: number;
  warmStarts: number;
  runtimeMix: Record<string, number>;
  languageMix: Record<string, number>;
  poolMix: Record<string, number>;
  /** requests per UTC hour of day / day of week (0 = Sunday), lifetime counts */
  hourOfDay: number[];
  dayOfWeek: number[];
  /** idle gaps (minutes) between consecutive active minutes, last IDLE_RING */
  idleGaps: number[];
  lastActiveMinute: number;
  tier: string;
  priority: number;
  code: { lines: number; cyclomatic: number; imports: number } | null;
  pending: PendingForecast[];
}

export const STATE_VERSION = 1;
export const USAGE_RING = 64;
export const IDLE_RING = 32;
/** mixes decay by this per request: an effective memory of ~50 requests */
export const MIX_DECAY = 0.98;
const EWMA = 0.1;

export function newUserState(userKey: string, firstMinute: number): UserState {
  return {
    userKey, firstMinute, lastEventTime: -1, sourceOffset: -1, lastTick: -1,
    history: [], open: {}, usage: [], usageNext: 0,
    ioBytesMean: 0, netBytesMean: 0, gpuMsMean: 0, gpuShare: 0, coldStarts: 0, warmStarts: 0,
    runtimeMix: {}, languageMix: {}, poolMix: {},
    hourOfDay: new Array<number>(24).fill(0), dayOfWeek: new Array<number>(7).fill(0),
    idleGaps: [], lastActiveMinute: -1, tier: 'UNKNOWN', priority: 0, code: null, pending: [],
  };
}

export function bumpMix(mix: Record<string, number>, key: string): void {
  for (const k of Object.keys(mix)) {
    const v = (mix[k] ?? 0) * MIX_DECAY;
    if (v < 1e-3) delete mix[k];
    else mix[k] = v;
  }
  mix[key] = (mix[key] ?? 0) + 1;
}

/** Shares summing to 1 (keys sorted, so restored and live states print alike). */
export function shares(mix: Readonly<Record<string, number>>): Record<string, number> {
  const keys = Object.keys(mix).sort();
  const total = keys.reduce((s, k) => s + (mix[k] ?? 0), 0);
  const out: Record<string, number> = {};
  if (total <= 0) return out;
  for (const k of keys) out[k] = (mix[k] ?? 0) / total;
  return out;
}

export function ewma(prev: number, x: number): number {
  return prev + EWMA * (x - prev);
}

export function addUsage(s: UserState, sample: [number, number, number]): void {
  if (s.usage.length < USAGE_RING) s.usage.push(sample);
  else s.usage[s.usageNext] = sample;
  s.usageNext = (s.usageNext + 1) % USAGE_RING;
}

export function addIdleGap(s: UserState, gap: number): void {
  s.idleGaps.push(gap);
  if (s.idleGaps.length > IDLE_RING) s.idleGaps.shift();
}

export function encodeUserState(s: UserState): Buffer {
  return Buffer.from(JSON.stringify(s), 'utf8');
}

export function decodeUserState(bytes: Uint8Array): UserState {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as UserState;
}
