// Mapping to what leaves ingest: normalized events (exec.event.normalized.v1) and raw rows
// (ClickHouse). Raw user ids leave only when storeRawUserIds is set (then in raw rows only;
// the normalized topic never carries them: its schema has no field for it).
import type { ExecutionMetrics, ExecutionRequest, NormalizedEventInput, NormalizedKind, UsageSummaryInput } from '@warmcast/kit';
import type { CodeFeaturesValue } from './features.ts';
import type { PairOutput } from './pairing.ts';
import type { RawMetricsRow as WarehouseRawMetricsRow, RawRequestRow as WarehouseRawRequestRow } from '@warmcast/warehouse';

/** Deterministic, so a redelivered input yields the same id (the profiler's idempotency key). */
export function eventIdOf(kind: NormalizedKind, requestId: string): string {
  return `${kind.toLowerCase()}:${requestId}`;
}

/** Lower-cased tag keys; the input object itself when its keys already are (the common case: no copy per event). */
export function normalizeTags(tags: Record<string, string>): Record<string, string> {
  let lower = true;
  for (const k in tags) if (k !== k.toLowerCase()) { lower = false; break; }
  if (lower) return tags;
  const out: Record<string, string> = {};
  for (const k in tags) out[k.toLowerCase()] = tags[k] ?? '';
  return out;
}

export function usageOf(m: ExecutionMetrics): UsageSummaryInput {
  return {
    durationMs: m.durationMs, cpuMs: m.cpuMs, cpuCores: m.cpuCores, memoryPeakMb: m.memoryPeakMb,
    ioBytes: m.ioReadBytes + m.ioWriteBytes, netBytes: m.netInBytes + m.netOutBytes, gpuMs: m.gpuMs,
    coldStart: m.start === 'COLD' ? true : m.start === 'WARM' ? false : null,
    startLatencyMs: m.startLatencyMs,
  };
}

function featuresOut(f: CodeFeaturesValue | null): NormalizedEventInput['codeFeatures'] {
  return f === null ? null : { lines: f.lines, cyclomaticComplexity: f.cyclomaticComplexity, imports: f.imports, derivedFromSource: f.derivedFromSource };
}

// The request fields are written out, not spread from a helper object: the spread cost one
// extra object per event and a slower, dictionary-shaped copy.
/** The normalized event of a pairing output (null for DUPLICATE / REJECTED, which emit nothing). */
export function toNormalized(o: PairOutput, ingestedAt: number): { key: string; value: NormalizedEventInput } | null {
  switch (o.kind) {
    case 'PAIRED': {
      const r = o.request.value;
      return { key: o.request.userKey, value: { eventId: eventIdOf('PAIRED', r.requestId), userKey: o.request.userKey, kind: 'PAIRED', requestId: r.requestId, functionId: r.functionId, applicationId: r.applicationId, runtime: r.runtime, sizeClass: r.sizeClass, language: r.language, tier: r.tier, priority: r.priority, tags: normalizeTags(r.tags), eventTime: r.eventTime, metrics: usageOf(o.metrics.value), codeFeatures: featuresOut(o.request.features), ingestedAt } };
    }
    case 'REQUEST': {
      const r = o.request.value;
      return { key: o.request.userKey, value: { eventId: eventIdOf('REQUEST', r.requestId), userKey: o.request.userKey, kind: 'REQUEST', requestId: r.requestId, functionId: r.functionId, applicationId: r.applicationId, runtime: r.runtime, sizeClass: r.sizeClass, language: r.language, tier: r.tier, priority: r.priority, tags: normalizeTags(r.tags), eventTime: r.eventTime, metrics: null, codeFeatures: featuresOut(o.request.features), ingestedAt } };
    }
    case 'METRICS': {
      const m = o.metrics.value;
      return { key: o.metrics.userKey, value: { eventId: eventIdOf('METRICS', m.requestId), userKey: o.metrics.userKey, kind: 'METRICS', requestId: m.requestId, functionId: m.functionId, applicationId: null, runtime: null, sizeClass: null, language: null, tier: null, priority: null, tags: {}, eventTime: m.finishedAt, metrics: usageOf(m), codeFeatures: null, ingestedAt } };
    }
    default:
      return null;
  }
}

/**
 * Raw rows of the warehouse tables raw_requests and raw_metrics (the warehouse's row types):
 * every input field except sourceText (kept as source_bytes + the derived features) and the
 * raw userId. With storeRawUserIds a row also carries user_id (the tables need that column
 * first; see docs/ingest.md).
 */
export type RawRequestRow = WarehouseRawRequestRow & { user_id?: string };
export type RawMetricsRow = WarehouseRawMetricsRow & { user_id?: string };

export function toRawRequestRow(r: ExecutionRequest, userKey: string, f: CodeFeaturesValue | null, storeRawUserId: boolean, ingestedAt: number): RawRequestRow {
  const row: RawRequestRow = {
    request_id: r.requestId, user_key: userKey, application_id: r.applicationId,
    function_id: r.functionId, runtime: r.runtime, size_class: r.sizeClass, language: r.language, code_ref: r.codeRef,
    code_lines: f?.lines ?? null, code_cyclomatic: f?.cyclomaticComplexity ?? null, code_imports: f?.imports ?? null, code_functions: f?.functions ?? null,
    source_bytes: r.sourceText === null ? null : Buffer.byteLength(r.sourceText, 'utf8'),
    tags: r.tags, tier: r.tier, priority: r.priority, event_time: r.eventTime, produced_at: r.producedAt, ingested_at: ingestedAt,
  };
  if (storeRawUserId) row.user_id = r.userId;
  return row;
}

export function toRawMetricsRow(m: ExecutionMetrics, userKey: string, storeRawUserId: boolean, ingestedAt: number): RawMetricsRow {
  const row: RawMetricsRow = {
    request_id: m.requestId, user_key: userKey, function_id: m.functionId,
    duration_ms: m.durationMs, cpu_ms: m.cpuMs, cpu_cores: m.cpuCores, memory_peak_mb: m.memoryPeakMb,
    io_read_bytes: m.ioReadBytes, io_write_bytes: m.ioWriteBytes, net_in_bytes: m.netInBytes, net_out_bytes: m.netOutBytes,
    gpu_ms: m.gpuMs, start: m.start, start_latency_ms: m.startLatencyMs, finished_at: m.finishedAt, produced_at: m.producedAt, ingested_at: ingestedAt,
  };
  if (storeRawUserId) row.user_id = m.userId;
  return row;
}
