// Validation limits. Defaults are for live traffic; replay (traffic up to 600x faster than the
// wall clock) sets referenceClock 'watermark' so "is this event from the future?" is asked of the
// stream's own event time, not of today's date.

export const REFERENCE_CLOCKS = ['wall', 'watermark', 'none'] as const;
export type ReferenceClock = (typeof REFERENCE_CLOCKS)[number];

export interface ValidationLimits {
  /** How far an event may lie ahead of the reference clock, and producedAt behind eventTime (clock skew). */
  readonly maxFutureSkewMs: number;
  /** How far an event may lie behind the reference clock. */
  readonly maxLatenessMs: number;
  /** How long after eventTime (finishedAt) a producer may publish. */
  readonly maxProduceDelayMs: number;
  readonly maxIdChars: number;
  readonly maxSourceChars: number;
  readonly maxTags: number;
  readonly maxTagChars: number;
  /** Sanity ceiling for durationMs / startLatencyMs (a day). */
  readonly maxDurationMs: number;
  /** Sanity ceiling for memoryPeakMb (4 TiB) and cpuCores (1024). */
  readonly maxMemoryMb: number;
  readonly maxCpuCores: number;
}

export const DEFAULT_LIMITS: ValidationLimits = Object.freeze({
  maxFutureSkewMs: 5 * 60_000, // NTP-less hosts drift by seconds; 5 min also covers batching producers
  maxLatenessMs: 7 * 24 * 3_600_000, // = the input topics' retention (604800000 ms)
  maxProduceDelayMs: 24 * 3_600_000, // a producer buffering offline for up to a day
  maxIdChars: 256,
  maxSourceChars: 256 * 1024, // 256 KiB: larger sources are bundles, their features say little
  maxTags: 32,
  maxTagChars: 256,
  maxDurationMs: 24 * 3_600_000,
  maxMemoryMb: 4 * 1024 * 1024,
  maxCpuCores: 1024,
});

// Replay from a trace: event time moves up to 600x faster than the wall clock and a fetch of
// 5000 preloaded events can span half an hour of trace time, so the watermark check allows 1 h.
export const REPLAY_LIMITS: ValidationLimits = Object.freeze({ ...DEFAULT_LIMITS, maxFutureSkewMs: 3_600_000 });
