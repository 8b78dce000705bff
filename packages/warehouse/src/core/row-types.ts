// One row interface per table, in the shape inserted with JSONEachRow: column names in
// snake_case, times as ms since the Unix epoch (UTC) into DateTime64(3, 'UTC') columns (an
// integer is read as ms ticks: 1732370000123 -> 2024-11-23 13:53:20.123), nullable fields as
// null. Units follow the Avro schemas (schemas/avro/*.avsc): MiB, cores, ms, counts.
// Queries return times as 'YYYY-MM-DD hh:mm:ss.sss' strings; use toUnixTimestamp64Milli() for ms.
import type { Tables } from './tables.ts';

/** raw_requests: one execution request, user pseudonymized (no raw user id, no source text). */
export interface RawRequestRow {
  request_id: string;
  user_key: string;
  application_id: string | null;
  function_id: string;
  runtime: string;
  size_class: string;
  language: string;
  code_ref: string;
  /** Code metrics from the producer, when sent (counts). */
  code_lines: number | null;
  code_cyclomatic: number | null;
  code_imports: number | null;
  code_functions: number | null;
  /** Byte length of the source text, when sent (the text itself is not stored). */
  source_bytes: number | null;
  tags: Record<string, string>;
  tier: string;
  priority: number;
  event_time: number;
  produced_at: number;
  ingested_at: number;
}

/** raw_metrics: one finished execution's resource usage, user pseudonymized. */
export interface RawMetricsRow {
  request_id: string;
  user_key: string;
  function_id: string;
  duration_ms: number;
  cpu_ms: number;
  cpu_cores: number;
  memory_peak_mb: number;
  io_read_bytes: number;
  io_write_bytes: number;
  net_in_bytes: number;
  net_out_bytes: number;
  gpu_ms: number | null;
  /** COLD, WARM or UNKNOWN. */
  start: string;
  start_latency_ms: number;
  finished_at: number;
  produced_at: number;
  ingested_at: number;
}

/** normalized_events: what ingest forwarded (exec.event.normalized.v1), usage and code features flattened. */
export interface NormalizedEventRow {
  event_id: string;
  user_key: string;
  kind: string;
  request_id: string;
  function_id: string;
  application_id: string | null;
  runtime: string | null;
  size_class: string | null;
  language: string | null;
  tier: string | null;
  priority: number | null;
  tags: Record<string, string>;
  event_time: number;
  duration_ms: number | null;
  cpu_ms: number | null;
  cpu_cores: number | null;
  memory_peak_mb: number | null;
  io_bytes: number | null;
  net_bytes: number | null;
  gpu_ms: number | null;
  /** 1 cold, 0 warm, null unknown or no metrics. */
  cold_start: boolean | null;
  start_latency_ms: number | null;
  code_lines: number | null;
  code_cyclomatic: number | null;
  code_imports: number | null;
  code_from_source: boolean | null;
  ingested_at: number;
}

/** forecasts: one row per user x tick x horizon, quantiles of every metric flattened. */
export interface ForecastRow {
  user_key: string;
  tick_time: number;
  horizon_minutes: number;
  model: string;
  tier: string;
  priority: number;
  requests_p10: number; requests_p50: number; requests_p90: number; requests_p99: number;
  concurrent_p10: number; concurrent_p50: number; concurrent_p90: number; concurrent_p99: number;
  cpu_cores_p10: number; cpu_cores_p50: number; cpu_cores_p90: number; cpu_cores_p99: number;
  memory_mb_p10: number; memory_mb_p50: number; memory_mb_p90: number; memory_mb_p99: number;
  p_any: number;
  concurrent_mean: number;
  concurrent_variance: number;
  runtime_mix: Record<string, number>;
  pool_mix: Record<string, number>;
  produced_at: number;
}

/** request_needs: the per-request prediction (UserForecast.requestNeed), one row per user x tick. */
export interface RequestNeedRow {
  user_key: string;
  tick_time: number;
  model: string;
  source: string;
  cpu_cores_p10: number; cpu_cores_p50: number; cpu_cores_p90: number; cpu_cores_p99: number;
  memory_mb_p10: number; memory_mb_p50: number; memory_mb_p90: number; memory_mb_p99: number;
  duration_ms_p10: number; duration_ms_p50: number; duration_ms_p90: number; duration_ms_p99: number;
  produced_at: number;
}

/** forecast_accuracy: one scored forecast (user x tick x horizon x metric). */
export interface ForecastAccuracyRow {
  user_key: string;
  tick_time: number;
  horizon_minutes: number;
  metric: string;
  model: string;
  p10: number; p50: number; p90: number; p99: number;
  actual: number;
  pinball_loss: number;
  covered80: boolean;
  covered98: boolean;
  under_provisioned: number;
  scored_at: number;
}

/** demand: aggregated demand per pool (runtime x size class) x horizon x window. */
export interface DemandRow {
  /** '<runtime>/<sizeClass>', the topic key. */
  pool: string;
  runtime: string;
  size_class: string;
  horizon_minutes: number;
  window_start: number;
  window_end: number;
  mean: number;
  variance: number;
  lower_bound: number;
  upper_bound: number;
  confidence: number;
  user_count: number;
}

/** cluster_load: forecast CPU and memory load of the cluster per horizon x window. */
export interface ClusterLoadRow {
  cluster: string;
  horizon_minutes: number;
  window_start: number;
  window_end: number;
  cpu_cores_mean: number;
  cpu_cores_variance: number;
  cpu_cores_upper: number;
  memory_mb_mean: number;
  memory_mb_variance: number;
  memory_mb_upper: number;
  confidence: number;
  user_count: number;
}

/** commands: every field of a provisioning command, the reason flattened (reason_*). */
export interface CommandRow {
  command_id: string;
  kind: string;
  pool_id: string;
  runtime: string;
  size_class: string;
  vm_id: string | null;
  count: number | null;
  cpu_cores: number | null;
  memory_mb: number | null;
  target_pool_id: string | null;
  preload_profile: string | null;
  reason_rule: string;
  reason_forecast_ref: string | null;
  reason_bound: number | null;
  reason_text: string;
  dry_run: boolean;
  issued_at: number;
}

/** command_results: what an adapter did with a command. */
export interface CommandResultRow {
  command_id: string;
  pool_id: string;
  status: string;
  adapter: string;
  applied_at: number;
  error: string | null;
}

/** pool_status: one adapter report of one pool. */
export interface PoolStatusRow {
  pool_id: string;
  runtime: string;
  size_class: string;
  warming: number;
  active: number;
  idle: number;
  capacity: number;
  adapter: string;
  as_of: number;
}

/** pool_outcomes: what users felt per pool and window. */
export interface PoolOutcomeRow {
  pool_id: string;
  runtime: string;
  size_class: string;
  window_start: number;
  window_end: number;
  requests: number;
  warm_hits: number;
  cold_starts: number;
  cold_latency_ms_sum: number;
  queued: number;
  idle_vm_seconds: number;
  busy_vm_seconds: number;
  cost: number;
  spot_interruptions: number;
  adapter: string;
}

/** anomalies: actual demand outside the predicted bounds. */
export interface AnomalyRow {
  anomaly_id: string;
  subject_kind: string;
  subject_id: string;
  metric: string;
  observed: number;
  expected_lower: number;
  expected_upper: number;
  severity: string;
  forecast_ref: string | null;
  window_start: number;
  detected_at: number;
}

/** dead_letters: original key/value bytes as base64 (null when absent), headers as parallel arrays. */
export interface DeadLetterRow {
  source_topic: string;
  source_partition: number;
  source_offset: number;
  key_base64: string | null;
  value_base64: string | null;
  header_keys: string[];
  header_values_base64: (string | null)[];
  reason_code: string;
  reason_text: string;
  attempts: number;
  service: string;
  failed_at: number;
}

/** Row type per insertable table (roll-up targets are written by their materialized views only). */
export interface TableRows {
  [Tables.rawRequests]: RawRequestRow;
  [Tables.rawMetrics]: RawMetricsRow;
  [Tables.normalizedEvents]: NormalizedEventRow;
  [Tables.forecasts]: ForecastRow;
  [Tables.requestNeeds]: RequestNeedRow;
  [Tables.forecastAccuracy]: ForecastAccuracyRow;
  [Tables.demand]: DemandRow;
  [Tables.clusterLoad]: ClusterLoadRow;
  [Tables.commands]: CommandRow;
  [Tables.commandResults]: CommandResultRow;
  [Tables.poolStatus]: PoolStatusRow;
  [Tables.poolOutcomes]: PoolOutcomeRow;
  [Tables.anomalies]: AnomalyRow;
  [Tables.deadLetters]: DeadLetterRow;
}

export type InsertableTable = keyof TableRows;
