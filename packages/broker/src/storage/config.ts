export type FsyncPolicy = 'always' | 'interval' | 'os';

export interface LogConfig {
  /** Roll a new segment once the active one would pass this size. */
  segmentBytes: number;
  /** Delete closed segments whose newest batch is older than this; -1 = forever. */
  retentionMs: number;
  /** Per-partition size cap for closed segments; -1 = unbounded. */
  retentionBytes: number;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
  /** Largest single batch accepted (Kafka message.max.bytes = 1 MiB + 12 bytes of log overhead). */
  maxBatchBytes: number;
}

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 64 * 1024 * 1024,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  fsync: 'interval',
  fsyncIntervalMs: 1000,
  maxBatchBytes: 1024 * 1024 + 12,
});

const INT32_MAX = 2 ** 31 - 1;

/** Defaults, validate, freeze. Throws RangeError naming the key, the value and the allowed range. */
export function resolveLogConfig(overrides: Partial<LogConfig> = {}): Readonly<LogConfig> {
  const c: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  // Positions in the sparse index are uint32 and Kafka caps segment.bytes at int32 max.
  checkInt('segmentBytes', c.segmentBytes, 1024, INT32_MAX);
  if (c.retentionMs !== -1) checkInt('retentionMs', c.retentionMs, 0, Number.MAX_SAFE_INTEGER);
  if (c.retentionBytes !== -1) checkInt('retentionBytes', c.retentionBytes, 0, Number.MAX_SAFE_INTEGER);
  if (c.fsync !== 'always' && c.fsync !== 'interval' && c.fsync !== 'os') {
    throw new RangeError(`fsync: ${String(c.fsync)} is not one of always | interval | os`);
  }
  checkInt('fsyncIntervalMs', c.fsyncIntervalMs, 1, 24 * 60 * 60 * 1000);
  checkInt('maxBatchBytes', c.maxBatchBytes, 61, INT32_MAX);
  return Object.freeze(c);
}

function checkInt(key: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${key}: ${value} is outside [${min}, ${max}]${min === 0 ? ' (or -1)' : ''}`);
  }
}

/** Kafka topic configs this store honours, mapped onto LogConfig keys. Others are kept but ignored. */
const TOPIC_CONFIG_KEYS: Readonly<Record<string, keyof LogConfig>> = {
  'segment.bytes': 'segmentBytes',
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'max.message.bytes': 'maxBatchBytes',
};

/** Applies topic-level overrides (string values as in CreateTopics) to the broker config. */
export function topicLogConfig(base: Readonly<LogConfig>, configs: Readonly<Record<string, string>>): Readonly<LogConfig> {
  const overrides: Partial<LogConfig> = {};
  for (const [name, raw] of Object.entries(configs)) {
    const key = TOPIC_CONFIG_KEYS[name];
    if (key === undefined) continue;
    const n = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isSafeInteger(n)) throw new RangeError(`${name}: "${raw}" is not an integer`);
    (overrides as Record<string, number>)[key] = n;
    try {
      resolveLogConfig({ ...base, [key]: n });
    } catch (err) {
      throw new RangeError(`${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return resolveLogConfig({ ...base, ...overrides });
}
