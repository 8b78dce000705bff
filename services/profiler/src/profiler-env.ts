// WARMCAST_PROFILER_* keys -> ProfilerOptions overrides (validated by profilerOptions).
import { WarmcastError } from '@warmcast/kit';
import type { ProfilerOptions } from './core/options.ts';
import { profilerOptions } from './core/options.ts';
import { DEFAULT_PRODUCER, PRODUCER_KINDS } from './shell/lean-profiler-producer.ts';
import type { ProducerKind } from './shell/lean-profiler-producer.ts';

/** Which client produces the outputs: kafkajs (kit TypedProducer) or lean (@warmcast/lean-client). */
export const PROFILER_PRODUCER_ENV_KEY = 'WARMCAST_PROFILER_PRODUCER';

/** WARMCAST_PROFILER_PRODUCER, or the default when unset/empty; anything else is CONFIG_INVALID. */
export function profilerProducerFromEnv(env: Readonly<Record<string, string | undefined>>): ProducerKind {
  const raw = env[PROFILER_PRODUCER_ENV_KEY]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PRODUCER;
  if (!(PRODUCER_KINDS as readonly string[]).includes(raw)) throw new WarmcastError('CONFIG_INVALID', `${PROFILER_PRODUCER_ENV_KEY}=${JSON.stringify(raw)} must be one of ${PRODUCER_KINDS.join(', ')}`);
  return raw as ProducerKind;
}

/** Serve the published global models (forecast.model.published.v1): on (default) or off. */
export const PROFILER_GLOBAL_MODELS_ENV_KEY = 'WARMCAST_PROFILER_GLOBAL_MODELS';

/** WARMCAST_PROFILER_GLOBAL_MODELS: true unless set to off; anything but on/off is CONFIG_INVALID. */
export function profilerGlobalModelsFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const raw = env[PROFILER_GLOBAL_MODELS_ENV_KEY]?.trim();
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new WarmcastError('CONFIG_INVALID', `${PROFILER_GLOBAL_MODELS_ENV_KEY}=${JSON.stringify(raw)} must be one of on, off`);
}

export const PROFILER_ENV_KEYS = {
  tickMs: 'WARMCAST_PROFILER_TICK_MS',
  horizons: 'WARMCAST_PROFILER_HORIZONS',
  activeMs: 'WARMCAST_PROFILER_ACTIVE_MS',
  allowedLatenessMs: 'WARMCAST_PROFILER_ALLOWED_LATENESS_MS',
  generationMinutes: 'WARMCAST_PROFILER_GENERATION_MINUTES',
  scoreEveryTicks: 'WARMCAST_PROFILER_SCORE_EVERY_TICKS',
  evictAfterMs: 'WARMCAST_PROFILER_EVICT_AFTER_MS',
} as const satisfies Record<keyof ProfilerOptions, string>;

function num(key: string, raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) throw new WarmcastError('CONFIG_INVALID', `${key}=${JSON.stringify(raw)} must be a number`);
  return n;
}

/** Only the keys that are set; ranges are checked by profilerOptions. */
export function profilerEnv(env: Readonly<Record<string, string | undefined>>): Partial<ProfilerOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, envKey] of Object.entries(PROFILER_ENV_KEYS)) {
    const raw = env[envKey];
    if (raw === undefined || raw === '') continue;
    out[k] = k === 'horizons' ? raw.split(',').map((s) => num(envKey, s)) : num(envKey, raw);
  }
  return out as Partial<ProfilerOptions>;
}

/** profilerEnv + validation; an error names the environment key (e.g. WARMCAST_PROFILER_TICK_MS=1000 must be ...). */
export function profilerOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ProfilerOptions {
  const overrides = profilerEnv(env);
  try {
    return profilerOptions(overrides);
  } catch (err) {
    if (!(err instanceof WarmcastError)) throw err;
    const key = Object.keys(PROFILER_ENV_KEYS).find((k) => err.message.startsWith(`${k}=`)) as keyof ProfilerOptions | undefined;
    if (key === undefined || overrides[key] === undefined) throw err;
    throw new WarmcastError('CONFIG_INVALID', `${PROFILER_ENV_KEYS[key]}${err.message.slice(key.length)}`, { cause: err });
  }
}
