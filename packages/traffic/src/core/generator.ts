// Trace -> execution events, minute by minute, in event-time order across functions.
//
// For trace slot t (wall time startEpochMs + t * 60 s) and a function with n invocations:
//   - request i (0 <= i < n) happens at base + floor((i + u) * 60000 / n): stratified jitter,
//     one request per 60000/n ms stripe (n = 3 -> one in each 20 s third of the minute);
//   - its duration is drawn from the function's duration quantiles, its peak memory from the
//     memory quantiles (capped at the size class: the platform would kill it beyond that);
//   - its metrics event is due at finishedAt = eventTime + durationMs and comes out in the
//     minute that contains finishedAt, so the stream stays in event-time order.
// Start kind is UNKNOWN and startLatencyMs 0: whether a start is cold is the platform's
// (the simulator's) call, not the trace's. producedAt = the event's own time, i.e. what the
// replay clock reads when the publisher sends it.
// requestId = uuid(sha256(app|function|absolute minute|i)): replays of the same trace at a
// different startEpochMs get different ids; the same start gives the same ids.
import type { Trace } from '@warmcast/forecast';
import type { ExecutionMetricsInput, ExecutionRequestInput } from '@warmcast/kit';
import { EventQueue } from './event-queue.ts';
import { Rng, fnv1a, sha256Hex, uuidOf } from './hash.ts';
import { averagesOnly, quantile, type FunctionProfile, type TrafficTrace } from './profile.ts';
import { synthesizeSource } from './source-text.ts';
import { functionTraits, userTraits, type FunctionTraits } from './traits.ts';

export const MINUTE_MS = 60_000;

export type TrafficEvent =
  | { readonly kind: 'request'; readonly time: number; readonly key: string; readonly value: ExecutionRequestInput }
  | { readonly kind: 'metrics'; readonly time: number; readonly key: string; readonly value: ExecutionMetricsInput };

export interface MinuteEvents {
  /** trace slot; past toMinute only metrics of earlier requests remain */
  readonly minute: number;
  /** wall time of the minute's start */
  readonly startMs: number;
  readonly events: readonly TrafficEvent[];
  readonly requests: number;
  readonly metrics: number;
}

export interface GeneratorOptions {
  /** Wall time (ms since the epoch) of trace slot 0. */
  readonly startEpochMs: number;
  /** First slot to generate (default 0). */
  readonly fromMinute?: number;
  /** Slot after the last one with requests (default trace.minutes). */
  readonly toMinute?: number;
  /** Emit metrics events (default true). */
  readonly metrics?: boolean;
}

interface Prepared {
  readonly traits: FunctionTraits;
  readonly profile: FunctionProfile;
  readonly request: Omit<ExecutionRequestInput, 'requestId' | 'eventTime' | 'producedAt'>;
}

function prepare(source: TrafficTrace): Prepared[] {
  return source.trace.functions.map((f, i) => {
    const profile: FunctionProfile = source.profiles[i] ?? { durationMs: [[0.5, f.durationSec * 1000]], memoryMb: [[0.5, f.memoryMb]] };
    const traits = functionTraits(f.id, profile);
    const user = userTraits(f.user);
    const sourceText = traits.sendsSource ? synthesizeSource(f.id, traits.language) : null;
    return {
      traits, profile,
      request: {
        userId: f.user, applicationId: f.app === '' ? null : f.app, functionId: f.id,
        runtime: traits.runtime, sizeClass: traits.sizeClass, language: traits.language,
        codeRef: `sha256:${sha256Hex(sourceText ?? `${traits.runtime}|${f.app}|${f.id}`)}`,
        sourceText, codeMetrics: null,
        tags: { trace: `azure-functions-2019-${source.trace.layout}`, ...(f.trigger !== undefined && f.trigger !== '' ? { trigger: f.trigger } : {}) },
        tier: user.tier, priority: user.priority,
      },
    };
  });
}

/** Per-invocation jitter for byte counts: 0.5x-2x, log-uniform. */
const spread = (u: number): number => 2 ** (2 * u - 1);

function invocation(p: Prepared, rng: Rng, requestId: string, eventTime: number): ExecutionMetricsInput {
  const t = p.traits;
  const durationMs = Math.max(1, Math.round(quantile(p.profile.durationMs, rng.next())));
  const maxCpu = durationMs * t.cpuCores;
  return {
    requestId, userId: p.request.userId, functionId: p.request.functionId, durationMs,
    cpuMs: Math.min(Math.round(maxCpu), Math.round(maxCpu * t.cpuUtilisation * (0.8 + 0.4 * rng.next()))),
    cpuCores: t.cpuCores,
    memoryPeakMb: Math.min(t.classMemoryMb, Math.round(quantile(p.profile.memoryMb, rng.next()) * 10) / 10),
    ioReadBytes: Math.round(t.ioReadBytes * spread(rng.next())),
    ioWriteBytes: Math.round(t.ioWriteBytes * spread(rng.next())),
    netInBytes: Math.round(t.netInBytes * spread(rng.next())),
    netOutBytes: Math.round(t.netOutBytes * spread(rng.next())),
    // GPU functions keep the GPU busy 30-90 % of their run
    gpuMs: t.sizeClass === 'GPU' ? Math.round(durationMs * (0.3 + 0.6 * rng.next())) : null,
    start: 'UNKNOWN', startLatencyMs: 0,
    finishedAt: eventTime + durationMs, producedAt: eventTime + durationMs,
  };
}

function order(a: TrafficEvent & { seq: number }, b: TrafficEvent & { seq: number }): number {
  return a.time - b.time || a.seq - b.seq;
}

/** Accepts a bare Trace (point-mass profiles at its averages) or a TrafficTrace. */
export function toTrafficTrace(source: Trace | TrafficTrace): TrafficTrace {
  return 'profiles' in source ? source : averagesOnly(source);
}

/** Yields one MinuteEvents per minute that has events, in order. pre: 0 <= fromMinute <= toMinute <= minutes. */
export function* generateTraffic(input: Trace | TrafficTrace, options: GeneratorOptions): Generator<MinuteEvents> {
  const source = toTrafficTrace(input);
  const { trace } = source;
  const from = options.fromMinute ?? 0;
  const to = Math.min(options.toMinute ?? trace.minutes, trace.minutes);
  if (!(Number.isInteger(from) && from >= 0 && from <= to)) throw new RangeError(`fromMinute ${from} outside [0, ${to}]`);
  const withMetrics = options.metrics ?? true;
  const prepared = prepare(source);
  const pending = new EventQueue<TrafficEvent>();
  let seq = 0;
  const startOf = (t: number): number => options.startEpochMs + t * MINUTE_MS;
  const emit = (minute: number, events: (TrafficEvent & { seq: number })[]): MinuteEvents => {
    for (const q of pending.drainBefore(startOf(minute + 1))) events.push({ ...q.item, seq: q.seq } as TrafficEvent & { seq: number });
    events.sort(order);
    let requests = 0;
    const out = events.map(({ seq: _s, ...e }) => {
      if (e.kind === 'request') requests++;
      return e as TrafficEvent;
    });
    return { minute, startMs: startOf(minute), events: out, requests, metrics: out.length - requests };
  };

  for (let t = from; t < to; t++) {
    const base = startOf(t);
    const absMinute = Math.floor(base / MINUTE_MS);
    const events: (TrafficEvent & { seq: number })[] = [];
    for (let f = 0; f < prepared.length; f++) {
      const n = trace.counts[f]?.[t] ?? 0;
      if (n <= 0) continue;
      const p = prepared[f] as Prepared;
      const rng = new Rng(fnv1a(`inv|${p.request.applicationId ?? ''}|${p.request.functionId}|${t}`));
      for (let i = 0; i < n; i++) {
        const eventTime = base + Math.floor(((i + rng.next()) * MINUTE_MS) / n);
        const requestId = uuidOf(`${p.request.applicationId ?? ''}|${p.request.functionId}|${absMinute}|${i}`);
        events.push({ kind: 'request', time: eventTime, key: p.request.userId, value: { ...p.request, requestId, eventTime, producedAt: eventTime }, seq: seq++ });
        if (!withMetrics) continue;
        const m = invocation(p, rng, requestId, eventTime);
        pending.push({ time: m.finishedAt, seq: seq++, item: { kind: 'metrics', time: m.finishedAt, key: m.userId, value: m } });
      }
    }
    const out = emit(t, events);
    if (out.events.length > 0) yield out;
  }
  // metrics of the last requests finish after the last slot
  while (pending.size > 0) {
    const t = Math.floor(((pending.peekTime() as number) - options.startEpochMs) / MINUTE_MS);
    yield emit(t, []);
  }
}
