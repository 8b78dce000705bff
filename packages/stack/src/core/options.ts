// Options of the one-command stack (`warmcast up`): defaults, validation, freeze. Every error
// names the option, the value and what is allowed, e.g.
//   STACK_OPTION: speed=-3 must be a number > 0 (trace minutes per wall minute)
export interface StackOptions {
  /** Holds kafka/, registry/ and warehouse/ (DESIGN.md's data directory). */
  readonly dataDir: string;
  readonly host: string;
  /** 9092 / 8081 / 8123 by default; 0 = any free port (tests). */
  readonly brokerPort: number;
  readonly registryPort: number;
  /** The ClickHouse-compatible HTTP endpoint in front of chDB (`warmcast sql` and any client use it). */
  readonly clickhousePort: number;
  /** Trace directory in either Azure Functions 2019 layout; default the bundled sample. */
  readonly traceDir: string | null;
  /** Trace minutes per wall minute: 60 = one trace minute per second. */
  readonly speed: number;
  /** First trace minute replayed, and how many (null = to the end). */
  readonly fromMinute: number;
  readonly minutes: number | null;
  /** Wall seconds before the stack stops by itself (null = until Ctrl-C). */
  readonly durationS: number | null;
  /** false = the scaler runs in mode off: the simulator alone (reactive keep-alive), the baseline. */
  readonly predict: boolean;
  /** Partitions of every topic (the catalogue says 12 for production; fewer start faster on one machine). */
  readonly partitions: number;
  /** Wall ms between live summary lines (0 = none). */
  readonly summaryEveryMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const STACK_DEFAULTS: StackOptions = Object.freeze({
  dataDir: './data',
  host: '127.0.0.1',
  brokerPort: 9092,
  registryPort: 8081,
  clickhousePort: 8123,
  traceDir: null,
  speed: 60,
  fromMinute: 0,
  minutes: null,
  durationS: null,
  predict: true,
  partitions: 3,
  summaryEveryMs: 5000,
  logLevel: 'warn',
});

export class StackOptionError extends Error {
  readonly code = 'STACK_OPTION';
  constructor(key: string, value: unknown, allowed: string) {
    super(`${key}=${JSON.stringify(value)} must be ${allowed}`);
    this.name = 'StackOptionError';
  }
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function port(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) throw new StackOptionError(key, v, 'an integer port in 0..65535 (0 = any free port)');
  return v;
}

function nonNegativeInt(key: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new StackOptionError(key, v, `an integer in 0..${max}`);
  return v;
}

/** Layering: defaults < given (undefined keeps the default). pre: none; post: frozen. */
export function parseStackOptions(given: Partial<Record<keyof StackOptions, unknown>> = {}): StackOptions {
  const known = new Set(Object.keys(STACK_DEFAULTS));
  for (const k of Object.keys(given)) if (!known.has(k)) throw new StackOptionError(k, given[k as keyof StackOptions], `a known option (${[...known].join(', ')})`);
  const pick = <K extends keyof StackOptions>(k: K): unknown => (given[k] === undefined ? STACK_DEFAULTS[k] : given[k]);
  const str = (k: 'dataDir' | 'host'): string => {
    const v = pick(k);
    if (typeof v !== 'string' || v.trim() === '') throw new StackOptionError(k, v, 'a non-empty string');
    return v;
  };
  const speed = pick('speed');
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0 || speed > 100_000) throw new StackOptionError('speed', speed, 'a number in (0, 100000] (trace minutes per wall minute; 60 = one trace minute per second)');
  const duration = pick('durationS');
  if (duration !== null && (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0)) throw new StackOptionError('durationS', duration, 'a number of seconds > 0, or null to run until Ctrl-C');
  const minutes = pick('minutes');
  const traceDir = pick('traceDir');
  if (traceDir !== null && (typeof traceDir !== 'string' || traceDir === '')) throw new StackOptionError('traceDir', traceDir, 'a directory path or null for the bundled sample');
  const predict = pick('predict');
  if (typeof predict !== 'boolean') throw new StackOptionError('predict', predict, 'true or false');
  const partitions = pick('partitions');
  if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1 || partitions > 64) throw new StackOptionError('partitions', partitions, 'an integer in 1..64');
  const level = pick('logLevel');
  if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level)) throw new StackOptionError('logLevel', level, `one of ${LEVELS.join(', ')}`);
  return Object.freeze({
    dataDir: str('dataDir'),
    host: str('host'),
    brokerPort: port('brokerPort', pick('brokerPort')),
    registryPort: port('registryPort', pick('registryPort')),
    clickhousePort: port('clickhousePort', pick('clickhousePort')),
    traceDir: traceDir as string | null,
    speed,
    fromMinute: nonNegativeInt('fromMinute', pick('fromMinute')),
    minutes: minutes === null ? null : nonNegativeInt('minutes', minutes),
    durationS: duration as number | null,
    predict,
    partitions,
    summaryEveryMs: nonNegativeInt('summaryEveryMs', pick('summaryEveryMs')),
    logLevel: level as StackOptions['logLevel'],
  });
}
