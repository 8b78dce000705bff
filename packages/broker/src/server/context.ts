import type { Logger } from 'pino';
import type { LogManager, OffsetStore } from '../storage/index.ts';
import type { GroupCoordinator } from '../groups/coordinator.ts';
import type { BrokerConfig } from './config.ts';

/** Injected time source; only the composition root (startBroker) builds the real one. */
export interface Clock {
  now(): number;
}

/** Everything a handler may use. Built once by startBroker(). */
export interface BrokerContext {
  readonly nodeId: number;
  /** Advertised host and port (what Metadata returns). */
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  readonly config: BrokerConfig;
  readonly logs: LogManager;
  readonly offsets: OffsetStore;
  readonly groups: GroupCoordinator;
  readonly clock: Clock;
  readonly log: Logger;
  /** Long-poll support: resolves when partition (topic, partition) gets new data, or on abort. */
  waitForData(topic: string, partition: number, signal: AbortSignal): Promise<void>;
  /** Resolves on new data in any of the partitions, or on abort (one abort listener in all). */
  waitForAnyData(partitions: readonly { readonly topic: string; readonly partition: number }[], signal: AbortSignal): Promise<void>;
  /** Called by Produce after an append, to wake the long polls waiting on that partition. */
  notifyData(topic: string, partition: number): void;
  /** Allocates producer ids for InitProducerId (persisted so ids are never reused). */
  nextProducerId(): Promise<bigint>;
}
