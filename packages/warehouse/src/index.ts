// @warmcast/warehouse: the ClickHouse warehouse (chDB in-process by default, a server over
// HTTP with CLICKHOUSE_URL), its numbered migrations, row mappers, batch writer and the sink
// that stores the pipeline's topics. See docs/warehouse.md.
export { Tables, Views, isTableName } from './core/tables.ts';
export type { TableId, TableName } from './core/tables.ts';
export type * from './core/row-types.ts';
export { openWarehouse, DEFAULT_DATA_DIR } from './warehouse.ts';
export type { Warehouse, WarehouseOptions, QueryParams } from './warehouse.ts';
export { applyMigrations } from './migrate.ts';
export type { MigrationReport } from './migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
export type { Migration } from './migrations/index.ts';
export { planMigrations, checksum as migrationChecksum } from './core/migration-plan.ts';
export { BatchBuffer, DEFAULT_BATCH_POLICY } from './core/batch-buffer.ts';
export type { BatchPolicy, FlushReason } from './core/batch-buffer.ts';
export { BatchWriter, createInsertBreaker, realWriterClock, DEFAULT_WRITER_RETRY } from './batch-writer.ts';
export type { BatchWriterOptions, BatchWriterStats, InsertBreaker, WriterClock } from './batch-writer.ts';
export { WarehouseError, isWarehouseError, toWarehouseError, WAREHOUSE_ERROR_CODES } from './errors.ts';
export type { WarehouseErrorCode } from './errors.ts';
export {
  rawRequestRow, rawMetricsRow, normalizedEventRow, forecastRows, requestNeedRows, forecastAccuracyRow, demandRow, clusterLoadRow,
  commandRow, commandResultRow, poolStatusRow, poolOutcomeRow, anomalyRow, deadLetterRow,
} from './core/rows.ts';
export { SINK_TOPICS, rowsForTopic, tablesForTopics, isSinkTopic } from './core/topic-rows.ts';
export type { SinkTopic, TableBatch } from './core/topic-rows.ts';
export { createWarehouseSink } from './sink/sink.ts';
export type { WarehouseSink, WarehouseSinkOptions } from './sink/sink.ts';
export type { SinkClock } from './sink/batch-consumer.ts';
export { serveClickHouseHttp } from './http/endpoint.ts';
export type { ClickHouseHttpOptions, ClickHouseHttpServer } from './http/endpoint.ts';
export { readEndpointFile, ENDPOINT_FILE } from './http/endpoint-file.ts';
export type { EndpointRecord } from './http/endpoint-file.ts';
export { parseHttpRequest } from './core/http-request.ts';
export { openDataDirWarehouse, warehouseDir } from './connect.ts';
export type { OpenDataDirOptions, DataDirWarehouse } from './connect.ts';
export { createWarehouseService } from './service.ts';
export type { WarehouseService, WarehouseServiceOptions } from './service.ts';
export { warehouseEnv, WAREHOUSE_ENV_KEYS, WAREHOUSE_ENV_DEFAULTS } from './core/env.ts';
export type { WarehouseEnv } from './core/env.ts';
export { formatResult, parseParam, returnsRows, OUTPUT_FORMATS } from './core/format.ts';
export type { CompactResult, OutputFormat } from './core/format.ts';
