// Aggregated demand, cluster load, commands and their results, pool status and outcomes,
// anomalies, dead letters (written by the warehouse sink). These are small (per pool, per
// tick), so they are partitioned by month and kept longer; commands for a year so "why was
// this VM launched" can still be answered in a post-mortem.
import { Tables } from '../core/tables.ts';
import { INSERTED_AT } from './migration.ts';
import type { Migration } from './migration.ts';

export const migration0003: Migration = {
  version: 3,
  name: 'operations',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${Tables.demand} (
      pool LowCardinality(String),
      runtime LowCardinality(String),
      size_class LowCardinality(String),
      horizon_minutes UInt16,
      window_start DateTime64(3, 'UTC'),
      window_end DateTime64(3, 'UTC'),
      mean Float64,
      variance Float64,
      lower_bound Float64,
      upper_bound Float64,
      confidence Float64,
      user_count UInt32,
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(window_start)
    ORDER BY (pool, horizon_minutes, window_start)
    TTL inserted_at + INTERVAL 30 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.clusterLoad} (
      cluster LowCardinality(String),
      horizon_minutes UInt16,
      window_start DateTime64(3, 'UTC'),
      window_end DateTime64(3, 'UTC'),
      cpu_cores_mean Float64,
      cpu_cores_variance Float64,
      cpu_cores_upper Float64,
      memory_mb_mean Float64,
      memory_mb_variance Float64,
      memory_mb_upper Float64,
      confidence Float64,
      user_count UInt32,
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(window_start)
    ORDER BY (cluster, horizon_minutes, window_start)
    TTL inserted_at + INTERVAL 30 DAY`,
    // Keyed by command id alone: the scaler's ids are idempotency keys, so one id is one command.
    `CREATE TABLE IF NOT EXISTS ${Tables.commands} (
      command_id String,
      kind LowCardinality(String),
      pool_id String,
      runtime LowCardinality(String),
      size_class LowCardinality(String),
      vm_id Nullable(String),
      count Nullable(Int32),
      cpu_cores Nullable(Float64),
      memory_mb Nullable(Float64),
      target_pool_id Nullable(String),
      preload_profile Nullable(String),
      reason_rule LowCardinality(String),
      reason_forecast_ref Nullable(String),
      reason_bound Nullable(Float64),
      reason_text String,
      dry_run Bool,
      issued_at DateTime64(3, 'UTC'),
      ${INSERTED_AT},
      INDEX pool_idx pool_id TYPE bloom_filter GRANULARITY 4
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(issued_at)
    ORDER BY command_id
    TTL inserted_at + INTERVAL 365 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.commandResults} (
      command_id String,
      pool_id String,
      status LowCardinality(String),
      adapter LowCardinality(String),
      applied_at DateTime64(3, 'UTC'),
      error Nullable(String),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(applied_at)
    ORDER BY (command_id, adapter, status, applied_at)
    TTL inserted_at + INTERVAL 365 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.poolStatus} (
      pool_id String,
      runtime LowCardinality(String),
      size_class LowCardinality(String),
      warming UInt32,
      active UInt32,
      idle UInt32,
      capacity UInt32,
      adapter LowCardinality(String),
      as_of DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(as_of)
    ORDER BY (pool_id, adapter, as_of)
    TTL inserted_at + INTERVAL 30 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.poolOutcomes} (
      pool_id String,
      runtime LowCardinality(String),
      size_class LowCardinality(String),
      window_start DateTime64(3, 'UTC'),
      window_end DateTime64(3, 'UTC'),
      requests UInt32,
      warm_hits UInt32,
      cold_starts UInt32,
      cold_latency_ms_sum Float64,
      queued UInt32,
      idle_vm_seconds Float64,
      busy_vm_seconds Float64,
      cost Float64,
      spot_interruptions UInt32,
      adapter LowCardinality(String),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(window_start)
    ORDER BY (pool_id, adapter, window_start)
    TTL inserted_at + INTERVAL 90 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.anomalies} (
      anomaly_id String,
      subject_kind LowCardinality(String),
      subject_id String,
      metric LowCardinality(String),
      observed Float64,
      expected_lower Float64,
      expected_upper Float64,
      severity LowCardinality(String),
      forecast_ref Nullable(String),
      window_start DateTime64(3, 'UTC'),
      detected_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(detected_at)
    ORDER BY (subject_kind, subject_id, window_start, anomaly_id)
    TTL inserted_at + INTERVAL 365 DAY`,
    // Same 30 days as the ops.deadletter.v1 topic retention (2592000000 ms).
    `CREATE TABLE IF NOT EXISTS ${Tables.deadLetters} (
      source_topic LowCardinality(String),
      source_partition UInt32,
      source_offset UInt64,
      key_base64 Nullable(String),
      value_base64 Nullable(String),
      header_keys Array(String),
      header_values_base64 Array(Nullable(String)),
      reason_code LowCardinality(String),
      reason_text String,
      attempts UInt32,
      service LowCardinality(String),
      failed_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(failed_at)
    ORDER BY (source_topic, source_partition, source_offset, service)
    TTL inserted_at + INTERVAL 30 DAY`,
  ],
};
