// Raw and normalized execution events (written by ingest). Users appear only as user_key
// (HMAC pseudonym). ReplacingMergeTree keyed by the event's id inside ORDER BY: a re-delivered
// event (at-least-once) collapses on merge; read with FINAL when exact counts matter.
// TTL counts from insertion (inserted_at), not event time: replayed traces carry event times
// years in the past and would otherwise be deleted on their first merge.
import { Tables } from '../core/tables.ts';
import { INSERTED_AT } from './migration.ts';
import type { Migration } from './migration.ts';

export const migration0001: Migration = {
  version: 1,
  name: 'raw-events',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${Tables.rawRequests} (
      request_id String,
      user_key String,
      application_id Nullable(String),
      function_id String,
      runtime LowCardinality(String),
      size_class LowCardinality(String),
      language LowCardinality(String),
      code_ref String,
      code_lines Nullable(UInt32),
      code_cyclomatic Nullable(UInt32),
      code_imports Nullable(UInt32),
      code_functions Nullable(UInt32),
      source_bytes Nullable(UInt32),
      tags Map(String, String),
      tier LowCardinality(String),
      priority UInt8,
      event_time DateTime64(3, 'UTC'),
      produced_at DateTime64(3, 'UTC'),
      ingested_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(event_time)
    ORDER BY (user_key, event_time, request_id)
    TTL inserted_at + INTERVAL 30 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.rawMetrics} (
      request_id String,
      user_key String,
      function_id String,
      duration_ms Float64,
      cpu_ms Float64,
      cpu_cores Float64,
      memory_peak_mb Float64,
      io_read_bytes UInt64,
      io_write_bytes UInt64,
      net_in_bytes UInt64,
      net_out_bytes UInt64,
      gpu_ms Nullable(Float64),
      start LowCardinality(String),
      start_latency_ms Float64,
      finished_at DateTime64(3, 'UTC'),
      produced_at DateTime64(3, 'UTC'),
      ingested_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(finished_at)
    ORDER BY (user_key, finished_at, request_id)
    TTL inserted_at + INTERVAL 30 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.normalizedEvents} (
      event_id String,
      user_key String,
      kind LowCardinality(String),
      request_id String,
      function_id String,
      application_id Nullable(String),
      runtime LowCardinality(Nullable(String)),
      size_class LowCardinality(Nullable(String)),
      language LowCardinality(Nullable(String)),
      tier LowCardinality(Nullable(String)),
      priority Nullable(UInt8),
      tags Map(String, String),
      event_time DateTime64(3, 'UTC'),
      duration_ms Nullable(Float64),
      cpu_ms Nullable(Float64),
      cpu_cores Nullable(Float64),
      memory_peak_mb Nullable(Float64),
      io_bytes Nullable(UInt64),
      net_bytes Nullable(UInt64),
      gpu_ms Nullable(Float64),
      cold_start Nullable(Bool),
      start_latency_ms Nullable(Float64),
      code_lines Nullable(UInt32),
      code_cyclomatic Nullable(UInt32),
      code_imports Nullable(UInt32),
      code_from_source Nullable(Bool),
      ingested_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(event_time)
    ORDER BY (user_key, event_time, event_id)
    TTL inserted_at + INTERVAL 30 DAY`,
  ],
};
