// Which topic lands in which table(s), and how (pure). The sink consumes exactly these topics;
// ingest's normalized events land in normalized_events (ingest itself stores the raw ones);
// forecast.user.published.v1 fans out into forecasts (one row per horizon) and request_needs.
import { Topics } from '@warmcast/kit';
import type { TopicValues } from '@warmcast/kit';
import { Tables } from './tables.ts';
import type { InsertableTable, TableRows } from './row-types.ts';
import {
  anomalyRow, clusterLoadRow, commandResultRow, commandRow, deadLetterRow, demandRow, forecastAccuracyRow, forecastRows,
  normalizedEventRow, poolOutcomeRow, poolStatusRow, requestNeedRows,
} from './rows.ts';

export const SINK_TOPICS = [
  Topics.execEventNormalized,
  Topics.forecastUserPublished,
  Topics.forecastAccuracyScored,
  Topics.demandPoolAggregated,
  Topics.demandClusterAggregated,
  Topics.provisionCommandIssued,
  Topics.provisionCommandApplied,
  Topics.poolStatusReported,
  Topics.poolOutcomeReported,
  Topics.feedbackAnomalyDetected,
  Topics.opsDeadletter,
] as const;

export type SinkTopic = (typeof SINK_TOPICS)[number];

/** Rows for one table; a union over tables so each batch stays typed. */
export type TableBatch = { [T in InsertableTable]: { readonly table: T; readonly rows: TableRows[T][] } }[InsertableTable];

type Mapper<N extends SinkTopic> = (value: TopicValues[N]) => TableBatch[];

const MAPPERS: { readonly [N in SinkTopic]: Mapper<N> } = {
  [Topics.execEventNormalized]: (v) => [{ table: Tables.normalizedEvents, rows: [normalizedEventRow(v)] }],
  [Topics.forecastUserPublished]: (v) => [
    { table: Tables.forecasts, rows: forecastRows(v) },
    { table: Tables.requestNeeds, rows: requestNeedRows(v) },
  ],
  [Topics.forecastAccuracyScored]: (v) => [{ table: Tables.forecastAccuracy, rows: [forecastAccuracyRow(v)] }],
  [Topics.demandPoolAggregated]: (v) => [{ table: Tables.demand, rows: [demandRow(v)] }],
  [Topics.demandClusterAggregated]: (v) => [{ table: Tables.clusterLoad, rows: [clusterLoadRow(v)] }],
  [Topics.provisionCommandIssued]: (v) => [{ table: Tables.commands, rows: [commandRow(v)] }],
  [Topics.provisionCommandApplied]: (v) => [{ table: Tables.commandResults, rows: [commandResultRow(v)] }],
  [Topics.poolStatusReported]: (v) => [{ table: Tables.poolStatus, rows: [poolStatusRow(v)] }],
  [Topics.poolOutcomeReported]: (v) => [{ table: Tables.poolOutcomes, rows: [poolOutcomeRow(v)] }],
  [Topics.feedbackAnomalyDetected]: (v) => [{ table: Tables.anomalies, rows: [anomalyRow(v)] }],
  [Topics.opsDeadletter]: (v) => [{ table: Tables.deadLetters, rows: [deadLetterRow(v)] }],
};

export function isSinkTopic(topic: string): topic is SinkTopic {
  return (SINK_TOPICS as readonly string[]).includes(topic);
}

/** Throws ROW_INVALID (WarehouseError) when the value cannot be stored; empty batches are dropped. */
export function rowsForTopic<N extends SinkTopic>(topic: N, value: TopicValues[N]): TableBatch[] {
  return (MAPPERS[topic] as Mapper<N>)(value).filter((b) => b.rows.length > 0);
}

/** Tables the given topics write to (for creating one BatchWriter each). */
export function tablesForTopics(topics: readonly SinkTopic[]): InsertableTable[] {
  const out = new Set<InsertableTable>();
  for (const t of topics) {
    if (t === Topics.forecastUserPublished) { out.add(Tables.forecasts); out.add(Tables.requestNeeds); continue; }
    const table = TOPIC_TABLE[t];
    out.add(table);
  }
  return [...out];
}

const TOPIC_TABLE: Readonly<Record<Exclude<SinkTopic, typeof Topics.forecastUserPublished>, InsertableTable>> = {
  [Topics.execEventNormalized]: Tables.normalizedEvents,
  [Topics.forecastAccuracyScored]: Tables.forecastAccuracy,
  [Topics.demandPoolAggregated]: Tables.demand,
  [Topics.demandClusterAggregated]: Tables.clusterLoad,
  [Topics.provisionCommandIssued]: Tables.commands,
  [Topics.provisionCommandApplied]: Tables.commandResults,
  [Topics.poolStatusReported]: Tables.poolStatus,
  [Topics.poolOutcomeReported]: Tables.poolOutcomes,
  [Topics.feedbackAnomalyDetected]: Tables.anomalies,
  [Topics.opsDeadletter]: Tables.deadLetters,
};
