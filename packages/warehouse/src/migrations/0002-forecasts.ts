// Forecasts and their scores (written by the warehouse sink). forecasts holds one row per
// user x tick x horizon (thousands of users x 4 horizons per tick), so it is ordered for
// "one user over time" and partitioned by day of the tick; the key doubles as the
// ReplacingMergeTree dedup key, so a re-delivered forecast collapses on merge.
import { Tables } from '../core/tables.ts';
import { INSERTED_AT } from './migration.ts';
import type { Migration } from './migration.ts';

const quantiles = (prefix: string): string => ['p10', 'p50', 'p90', 'p99'].map((q) => `${prefix}_${q} Float64`).join(',\n      ');

export const migration0002: Migration = {
  version: 2,
  name: 'forecasts',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${Tables.forecasts} (
      user_key String,
      tick_time DateTime64(3, 'UTC'),
      horizon_minutes UInt16,
      model LowCardinality(String),
      tier LowCardinality(String),
      priority UInt8,
      ${quantiles('requests')},
      ${quantiles('concurrent')},
      ${quantiles('cpu_cores')},
      ${quantiles('memory_mb')},
      p_any Float64,
      concurrent_mean Float64,
      concurrent_variance Float64,
      runtime_mix Map(String, Float64),
      pool_mix Map(String, Float64),
      produced_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(tick_time)
    ORDER BY (user_key, tick_time, horizon_minutes)
    TTL inserted_at + INTERVAL 14 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.requestNeeds} (
      user_key String,
      tick_time DateTime64(3, 'UTC'),
      model LowCardinality(String),
      source LowCardinality(String),
      ${quantiles('cpu_cores')},
      ${quantiles('memory_mb')},
      ${quantiles('duration_ms')},
      produced_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(tick_time)
    ORDER BY (user_key, tick_time)
    TTL inserted_at + INTERVAL 14 DAY`,
    `CREATE TABLE IF NOT EXISTS ${Tables.forecastAccuracy} (
      user_key String,
      tick_time DateTime64(3, 'UTC'),
      horizon_minutes UInt16,
      metric LowCardinality(String),
      model LowCardinality(String),
      p10 Float64,
      p50 Float64,
      p90 Float64,
      p99 Float64,
      actual Float64,
      pinball_loss Float64,
      covered80 Bool,
      covered98 Bool,
      under_provisioned Float64,
      scored_at DateTime64(3, 'UTC'),
      ${INSERTED_AT}
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(tick_time)
    ORDER BY (metric, horizon_minutes, tick_time, user_key)
    TTL inserted_at + INTERVAL 90 DAY`,
  ],
};
