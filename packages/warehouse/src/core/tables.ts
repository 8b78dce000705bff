// The table catalogue: the one place warehouse table names live (DESIGN.md "catalogued in one
// place and referenced by name"). Migrations, the sink, docs queries and tests use Tables.x,
// never a retyped string. Adding a table: a new numbered migration + an entry here.

export const Tables = {
  schemaMigrations: 'schema_migrations',
  rawRequests: 'raw_requests',
  rawMetrics: 'raw_metrics',
  normalizedEvents: 'normalized_events',
  forecasts: 'forecasts',
  requestNeeds: 'request_needs',
  forecastAccuracy: 'forecast_accuracy',
  demand: 'demand',
  clusterLoad: 'cluster_load',
  commands: 'commands',
  commandResults: 'command_results',
  poolStatus: 'pool_status',
  poolOutcomes: 'pool_outcomes',
  anomalies: 'anomalies',
  deadLetters: 'dead_letters',
  /** Roll-up target: requests per user_key x minute (AggregatingMergeTree, fed by a materialized view on raw_requests). */
  userMinuteRequests: 'user_minute_requests',
  /** Roll-up target: executions, cold starts, duration/CPU/memory sums per user_key x minute (from raw_metrics). */
  userMinuteUsage: 'user_minute_usage',
  /** Roll-up target: executions and cold starts per runtime x minute (from normalized_events). */
  runtimeMinuteStarts: 'runtime_minute_starts',
} as const;

export type TableId = keyof typeof Tables;
export type TableName = (typeof Tables)[TableId];

/** Materialized views (not insertable; each writes into a roll-up table above). */
export const Views = {
  userMinuteRequestsMv: 'user_minute_requests_mv',
  userMinuteUsageMv: 'user_minute_usage_mv',
  runtimeMinuteStartsMv: 'runtime_minute_starts_mv',
} as const;

const NAMES: ReadonlySet<string> = new Set(Object.values(Tables));

export function isTableName(name: string): name is TableName {
  return NAMES.has(name);
}
