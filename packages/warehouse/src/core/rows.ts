// Topic values (generated types in @warmcast/kit, units from schemas/avro) -> warehouse rows.
// Pure: ingest time is an argument. Every mapper checks its numbers are finite (an Avro double
// may carry NaN or Infinity, which JSON turns into null and ClickHouse then rejects for the
// whole batch) and that counts are not negative, and throws ROW_INVALID naming the field, so
// one bad message is dead-lettered instead of blocking its table.
import type {
  AggregatedDemand, Anomaly, ClusterLoad, CommandResult, DeadLetter, ExecutionMetrics, ExecutionRequest,
  ForecastAccuracy, NormalizedEvent, PoolOutcome, PoolStatus, ProvisionCommand, Quantiles, UserForecast,
} from '@warmcast/kit';
import { WarehouseError } from '../errors.ts';
import type {
  AnomalyRow, ClusterLoadRow, CommandResultRow, CommandRow, DeadLetterRow, DemandRow, ForecastAccuracyRow, ForecastRow,
  NormalizedEventRow, PoolOutcomeRow, PoolStatusRow, RawMetricsRow, RawRequestRow, RequestNeedRow,
} from './row-types.ts';

// for-in over the row instead of Object.entries: no [key, value] array per field, which was
// about a third of a mapper's CPU (bench:warehouse, "Row mappers").
function checked<R extends object>(what: string, row: R, nonNegative: readonly (keyof R)[] = []): R {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'number' && !Number.isFinite(v)) throw new WarehouseError('ROW_INVALID', `${what}: ${k}=${v} is not a finite number`);
  }
  for (const k of nonNegative) {
    const v = row[k];
    if (typeof v === 'number' && v < 0) throw new WarehouseError('ROW_INVALID', `${what}: ${String(k)}=${v} must be >= 0`);
  }
  return row;
}

function q<P extends string>(prefix: P, x: Quantiles): Record<`${P}_p10` | `${P}_p50` | `${P}_p90` | `${P}_p99`, number> {
  return { [`${prefix}_p10`]: x.p10, [`${prefix}_p50`]: x.p50, [`${prefix}_p90`]: x.p90, [`${prefix}_p99`]: x.p99 } as Record<`${P}_p10` | `${P}_p50` | `${P}_p90` | `${P}_p99`, number>;
}

/** The raw user id is NOT stored: ingest passes the pseudonymous user key. Source text is reduced to its UTF-8 byte length. */
export function rawRequestRow(r: ExecutionRequest, userKey: string, ingestedAt: number): RawRequestRow {
  const m = r.codeMetrics;
  return checked(`request ${r.requestId}`, {
    request_id: r.requestId, user_key: userKey, application_id: r.applicationId, function_id: r.functionId,
    runtime: r.runtime, size_class: r.sizeClass, language: r.language, code_ref: r.codeRef,
    code_lines: m?.lines ?? null, code_cyclomatic: m?.cyclomaticComplexity ?? null, code_imports: m?.imports ?? null, code_functions: m?.functions ?? null,
    source_bytes: r.sourceText === null ? null : Buffer.byteLength(r.sourceText, 'utf8'),
    tags: { ...r.tags }, tier: r.tier, priority: r.priority,
    event_time: r.eventTime, produced_at: r.producedAt, ingested_at: ingestedAt,
  }, ['priority', 'code_lines', 'code_cyclomatic', 'code_imports', 'code_functions', 'event_time']);
}

export function rawMetricsRow(m: ExecutionMetrics, userKey: string, ingestedAt: number): RawMetricsRow {
  return checked(`metrics ${m.requestId}`, {
    request_id: m.requestId, user_key: userKey, function_id: m.functionId,
    duration_ms: m.durationMs, cpu_ms: m.cpuMs, cpu_cores: m.cpuCores, memory_peak_mb: m.memoryPeakMb,
    io_read_bytes: m.ioReadBytes, io_write_bytes: m.ioWriteBytes, net_in_bytes: m.netInBytes, net_out_bytes: m.netOutBytes,
    gpu_ms: m.gpuMs, start: m.start, start_latency_ms: m.startLatencyMs,
    finished_at: m.finishedAt, produced_at: m.producedAt, ingested_at: ingestedAt,
  }, ['io_read_bytes', 'io_write_bytes', 'net_in_bytes', 'net_out_bytes', 'finished_at']);
}

export function normalizedEventRow(e: NormalizedEvent): NormalizedEventRow {
  const u = e.metrics;
  const c = e.codeFeatures;
  return checked(`normalized event ${e.eventId}`, {
    event_id: e.eventId, user_key: e.userKey, kind: e.kind, request_id: e.requestId, function_id: e.functionId,
    application_id: e.applicationId, runtime: e.runtime, size_class: e.sizeClass, language: e.language, tier: e.tier, priority: e.priority,
    tags: { ...e.tags }, event_time: e.eventTime,
    duration_ms: u?.durationMs ?? null, cpu_ms: u?.cpuMs ?? null, cpu_cores: u?.cpuCores ?? null, memory_peak_mb: u?.memoryPeakMb ?? null,
    io_bytes: u?.ioBytes ?? null, net_bytes: u?.netBytes ?? null, gpu_ms: u?.gpuMs ?? null, cold_start: u?.coldStart ?? null,
    start_latency_ms: u?.startLatencyMs ?? null,
    code_lines: c?.lines ?? null, code_cyclomatic: c?.cyclomaticComplexity ?? null, code_imports: c?.imports ?? null, code_from_source: c?.derivedFromSource ?? null,
    ingested_at: e.ingestedAt,
  }, ['priority', 'io_bytes', 'net_bytes', 'code_lines', 'code_cyclomatic', 'code_imports', 'event_time']);
}

/** One row per horizon (4 by default: 5, 15, 30, 120 minutes). */
export function forecastRows(f: UserForecast): ForecastRow[] {
  return f.horizons.map((h) => checked(`forecast ${f.userKey}@${f.tickTime}+${h.horizonMinutes}m`, {
    user_key: f.userKey, tick_time: f.tickTime, horizon_minutes: h.horizonMinutes, model: f.model, tier: f.tier, priority: f.priority,
    ...q('requests', h.requests), ...q('concurrent', h.concurrentInstances), ...q('cpu_cores', h.cpuCores), ...q('memory_mb', h.memoryMb),
    p_any: h.pAny, concurrent_mean: h.concurrentMean, concurrent_variance: h.concurrentVariance,
    runtime_mix: { ...f.runtimeMix }, pool_mix: { ...f.poolMix }, produced_at: f.producedAt,
  }, ['horizon_minutes', 'priority', 'tick_time']));
}

/** The forecast's per-request prediction, or none when the forecaster sent none. */
export function requestNeedRows(f: UserForecast): RequestNeedRow[] {
  const n = f.requestNeed;
  if (n === null) return [];
  return [checked(`request need ${f.userKey}@${f.tickTime}`, {
    user_key: f.userKey, tick_time: f.tickTime, model: f.model, source: n.source,
    ...q('cpu_cores', n.cpuCores), ...q('memory_mb', n.memoryMb), ...q('duration_ms', n.durationMs), produced_at: f.producedAt,
  }, ['tick_time'])];
}

export function forecastAccuracyRow(a: ForecastAccuracy): ForecastAccuracyRow {
  return checked(`accuracy ${a.userKey}@${a.tickTime}`, {
    user_key: a.userKey, tick_time: a.tickTime, horizon_minutes: a.horizonMinutes, metric: a.metric, model: a.model,
    p10: a.p10, p50: a.p50, p90: a.p90, p99: a.p99, actual: a.actual, pinball_loss: a.pinballLoss,
    covered80: a.covered80, covered98: a.covered98, under_provisioned: a.underProvisioned, scored_at: a.scoredAt,
  }, ['horizon_minutes', 'tick_time']);
}

/** The pool key is '<runtime>/<sizeClass>', as the topic's key (schemas/topics.json). */
export function demandRow(d: AggregatedDemand): DemandRow {
  return checked(`demand ${d.pool.runtime}/${d.pool.sizeClass}`, {
    pool: `${d.pool.runtime}/${d.pool.sizeClass}`, runtime: d.pool.runtime, size_class: d.pool.sizeClass,
    horizon_minutes: d.horizonMinutes, window_start: d.windowStart, window_end: d.windowEnd,
    mean: d.mean, variance: d.variance, lower_bound: d.lowerBound, upper_bound: d.upperBound, confidence: d.confidence, user_count: d.userCount,
  }, ['horizon_minutes', 'user_count', 'window_start', 'window_end']);
}

export function clusterLoadRow(c: ClusterLoad): ClusterLoadRow {
  return checked(`cluster load ${c.cluster}`, {
    cluster: c.cluster, horizon_minutes: c.horizonMinutes, window_start: c.windowStart, window_end: c.windowEnd,
    cpu_cores_mean: c.cpuCoresMean, cpu_cores_variance: c.cpuCoresVariance, cpu_cores_upper: c.cpuCoresUpper,
    memory_mb_mean: c.memoryMbMean, memory_mb_variance: c.memoryMbVariance, memory_mb_upper: c.memoryMbUpper,
    confidence: c.confidence, user_count: c.userCount,
  }, ['horizon_minutes', 'user_count', 'window_start', 'window_end']);
}

export function commandRow(c: ProvisionCommand): CommandRow {
  return checked(`command ${c.commandId}`, {
    command_id: c.commandId, kind: c.kind, pool_id: c.poolId, runtime: c.pool.runtime, size_class: c.pool.sizeClass,
    vm_id: c.vmId, count: c.count, cpu_cores: c.cpuCores, memory_mb: c.memoryMb, target_pool_id: c.targetPoolId, preload_profile: c.preloadProfile,
    reason_rule: c.reason.rule, reason_forecast_ref: c.reason.forecastRef, reason_bound: c.reason.bound, reason_text: c.reason.text,
    dry_run: c.dryRun, issued_at: c.issuedAt,
  }, ['issued_at']);
}

export function commandResultRow(r: CommandResult): CommandResultRow {
  return checked(`command result ${r.commandId}`, {
    command_id: r.commandId, pool_id: r.poolId, status: r.status, adapter: r.adapter, applied_at: r.appliedAt, error: r.error,
  }, ['applied_at']);
}

export function poolStatusRow(p: PoolStatus): PoolStatusRow {
  return checked(`pool status ${p.poolId}`, {
    pool_id: p.poolId, runtime: p.pool.runtime, size_class: p.pool.sizeClass,
    warming: p.warming, active: p.active, idle: p.idle, capacity: p.capacity, adapter: p.adapter, as_of: p.asOf,
  }, ['warming', 'active', 'idle', 'capacity', 'as_of']);
}

export function poolOutcomeRow(p: PoolOutcome): PoolOutcomeRow {
  return checked(`pool outcome ${p.poolId}`, {
    pool_id: p.poolId, runtime: p.pool.runtime, size_class: p.pool.sizeClass, window_start: p.windowStart, window_end: p.windowEnd,
    requests: p.requests, warm_hits: p.warmHits, cold_starts: p.coldStarts, cold_latency_ms_sum: p.coldLatencyMsSum, queued: p.queued,
    idle_vm_seconds: p.idleVmSeconds, busy_vm_seconds: p.busyVmSeconds, cost: p.cost, spot_interruptions: p.spotInterruptions, adapter: p.adapter,
  }, ['requests', 'warm_hits', 'cold_starts', 'queued', 'spot_interruptions', 'window_start', 'window_end']);
}

export function anomalyRow(a: Anomaly): AnomalyRow {
  return checked(`anomaly ${a.anomalyId}`, {
    anomaly_id: a.anomalyId, subject_kind: a.subjectKind, subject_id: a.subjectId, metric: a.metric,
    observed: a.observed, expected_lower: a.expectedLower, expected_upper: a.expectedUpper, severity: a.severity,
    forecast_ref: a.forecastRef, window_start: a.windowStart, detected_at: a.detectedAt,
  }, ['window_start', 'detected_at']);
}

/** Original bytes as base64 (lossless for any bytes; decode with base64Decode() in SQL). */
export function deadLetterRow(d: DeadLetter): DeadLetterRow {
  const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
  return checked(`dead letter ${d.sourceTopic}/${d.sourcePartition}@${d.sourceOffset}`, {
    source_topic: d.sourceTopic, source_partition: d.sourcePartition, source_offset: d.sourceOffset,
    key_base64: b64(d.key), value_base64: b64(d.value),
    header_keys: d.headers.map((h) => h.key), header_values_base64: d.headers.map((h) => b64(h.value)),
    reason_code: d.reasonCode, reason_text: d.reasonText, attempts: d.attempts, service: d.service, failed_at: d.failedAt,
  }, ['source_partition', 'source_offset', 'attempts', 'failed_at']);
}
