// createWarehouseSink: a KitService (HTTP probes, metrics, producer for dead letters, schema
// registration) whose work is the batch consumer in batch-consumer.ts writing through one
// BatchWriter per table. Close order (reverse of start): consumer stops -> writers flush ->
// producer closes -> http stops.
import { KitService, Topics } from '@warmcast/kit';
import type { KitConfig, Logger } from '@warmcast/kit';
import { BatchWriter, createInsertBreaker } from '../batch-writer.ts';
import type { InsertableTable } from '../core/row-types.ts';
import { SINK_TOPICS, tablesForTopics } from '../core/topic-rows.ts';
import type { SinkTopic } from '../core/topic-rows.ts';
import { WarehouseError } from '../errors.ts';
import type { Warehouse } from '../warehouse.ts';
import { SinkBatchConsumer } from './batch-consumer.ts';
import type { SinkClock } from './batch-consumer.ts';

export interface WarehouseSinkOptions {
  readonly config: KitConfig;
  readonly warehouse: Warehouse;
  readonly logger?: Logger;
  /** Topics to store; default all of SINK_TOPICS. */
  readonly topics?: readonly SinkTopic[];
  /** Consumer group; default config.groupId (main.ts defaults it to 'warehouse'). */
  readonly groupId?: string;
  /** Per-table batch size and age (BatchWriter); default 10_000 rows / 1000 ms. */
  readonly maxRows?: number;
  readonly maxDelayMs?: number;
  /** Partitions handled at once, so their batches share one flush; default 32. */
  readonly concurrency?: number;
  /** Where a new group starts; default true (the warehouse wants the whole history). */
  readonly fromBeginning?: boolean;
  readonly clock?: SinkClock;
}

export interface WarehouseSink {
  start(): Promise<void>;
  close(): Promise<void>;
  /** messages, batches, deadLettered, storeRetries, isolatedInserts, rows.<table>, pendingRows. */
  stats(): Record<string, number>;
  readonly kit: KitService;
}

export function createWarehouseSink(options: WarehouseSinkOptions): WarehouseSink {
  const topics = options.topics ?? SINK_TOPICS;
  for (const t of topics) {
    if (!(SINK_TOPICS as readonly string[]).includes(t)) throw new WarehouseError('CONFIG_INVALID', `topics: ${JSON.stringify(t)} is not a sink topic (one of ${SINK_TOPICS.join(', ')})`);
  }
  const { warehouse, config } = options;
  const kit = new KitService({
    config,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    registerTopics: [...new Set([...topics, Topics.opsDeadletter])],
    checks: [{ name: 'clickhouse', check: async () => { await warehouse.query('SELECT 1'); } }],
  });
  const log = kit.log.child({ unit: 'warehouse-sink' });
  // One breaker for every table: they all share one ClickHouse.
  const breaker = createInsertBreaker('warehouse');
  const writers = new Map<InsertableTable, BatchWriter<InsertableTable>>();
  // dead_letters always gets a writer: an unreadable dead letter is stored there directly.
  for (const table of new Set([...tablesForTopics(topics), ...tablesForTopics([Topics.opsDeadletter])])) {
    writers.set(table, new BatchWriter<InsertableTable>({
      warehouse, table, breaker, logger: log,
      ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
      ...(options.maxDelayMs === undefined ? {} : { maxDelayMs: options.maxDelayMs }),
    }));
  }
  const consumer = new SinkBatchConsumer({
    consumer: kit.kafka.consumer({ groupId: options.groupId ?? config.groupId }),
    topics, producer: kit.producer, writers, warehouse, log, service: config.clientId,
    concurrency: options.concurrency ?? 32,
    fromBeginning: options.fromBeginning ?? true,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  // Both are 'sink' stage components: the consumer is added second, so it starts after the
  // writers and closes before them (the writers then flush what it handed over).
  kit.addSink({
    name: 'warehouse writers',
    start: async () => {},
    close: async () => {
      await Promise.all([...writers.values()].map((w) => w.close()));
      breaker.shutdown();
    },
  });
  kit.addSink({ name: 'warehouse consumer', start: () => consumer.start(), close: () => consumer.close() });

  return {
    kit,
    start: () => kit.start(),
    close: () => kit.close(),
    stats() {
      const out: Record<string, number> = { ...consumer.counters };
      let pending = 0;
      for (const [table, w] of writers) {
        const s = w.stats();
        out[`rows.${table}`] = s.rowsWritten;
        pending += s.pendingRows;
      }
      out['pendingRows'] = pending;
      return out;
    },
  };
}
