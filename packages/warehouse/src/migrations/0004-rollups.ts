// Per-user per-minute roll-ups as materialized views. Counts are uniqExact states of the
// request id, not count(): the raw tables are at-least-once (a re-delivered event is inserted
// again and the view sees it again), and a set of ids counts a repeat once. Sums (duration,
// CPU, memory) would double on a repeat; they are SimpleAggregateFunction(sum) and say so in
// docs/warehouse.md. Read with uniqExactMerge(requests), sum(duration_ms_sum), GROUP BY the key.
// TTL: 365 days after the last insert into the minute (max of now() at insert).
import { Tables, Views } from '../core/tables.ts';
import type { Migration } from './migration.ts';

const LAST_INSERT = 'inserted_at SimpleAggregateFunction(max, DateTime(\'UTC\'))';

export const migration0004: Migration = {
  version: 4,
  name: 'rollups',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${Tables.userMinuteRequests} (
      user_key String,
      minute DateTime('UTC'),
      requests AggregateFunction(uniqExact, String),
      ${LAST_INSERT}
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(minute)
    ORDER BY (user_key, minute)
    TTL inserted_at + INTERVAL 365 DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${Views.userMinuteRequestsMv} TO ${Tables.userMinuteRequests} AS
      SELECT user_key, toStartOfMinute(event_time) AS minute,
        uniqExactState(request_id) AS requests,
        max(now()) AS inserted_at
      FROM ${Tables.rawRequests}
      GROUP BY user_key, minute`,
    `CREATE TABLE IF NOT EXISTS ${Tables.userMinuteUsage} (
      user_key String,
      minute DateTime('UTC'),
      executions AggregateFunction(uniqExact, String),
      cold_starts AggregateFunction(uniqExact, String),
      duration_ms_sum SimpleAggregateFunction(sum, Float64),
      cpu_ms_sum SimpleAggregateFunction(sum, Float64),
      memory_peak_mb_sum SimpleAggregateFunction(sum, Float64),
      memory_peak_mb_max SimpleAggregateFunction(max, Float64),
      ${LAST_INSERT}
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(minute)
    ORDER BY (user_key, minute)
    TTL inserted_at + INTERVAL 365 DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${Views.userMinuteUsageMv} TO ${Tables.userMinuteUsage} AS
      SELECT user_key, toStartOfMinute(finished_at) AS minute,
        uniqExactState(request_id) AS executions,
        uniqExactStateIf(request_id, start = 'COLD') AS cold_starts,
        sum(duration_ms) AS duration_ms_sum,
        sum(cpu_ms) AS cpu_ms_sum,
        sum(memory_peak_mb) AS memory_peak_mb_sum,
        max(memory_peak_mb) AS memory_peak_mb_max,
        max(now()) AS inserted_at
      FROM ${Tables.rawMetrics}
      GROUP BY user_key, minute`,
    `CREATE TABLE IF NOT EXISTS ${Tables.runtimeMinuteStarts} (
      runtime LowCardinality(String),
      minute DateTime('UTC'),
      executions AggregateFunction(uniqExact, String),
      cold_starts AggregateFunction(uniqExact, String),
      start_latency_ms_sum SimpleAggregateFunction(sum, Float64),
      ${LAST_INSERT}
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(minute)
    ORDER BY (runtime, minute)
    TTL inserted_at + INTERVAL 365 DAY`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${Views.runtimeMinuteStartsMv} TO ${Tables.runtimeMinuteStarts} AS
      SELECT ifNull(runtime, 'unknown') AS runtime, toStartOfMinute(event_time) AS minute,
        uniqExactState(request_id) AS executions,
        uniqExactStateIf(request_id, cold_start = true) AS cold_starts,
        sum(ifNull(start_latency_ms, 0)) AS start_latency_ms_sum,
        max(now()) AS inserted_at
      FROM ${Tables.normalizedEvents}
      WHERE duration_ms IS NOT NULL
      GROUP BY runtime, minute`,
  ],
};
