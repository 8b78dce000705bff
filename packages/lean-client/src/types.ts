// The kafkajs-shaped surface: the part of kafkajs's Consumer that the kit's BatchConsumerLoop
// uses, so the loop runs on either client.
import type { LeanMessage } from './core/records.ts';

export interface LeanBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: LeanMessage[];
}

export interface LeanBatchPayload {
  readonly batch: LeanBatch;
  /** Marks offsets up to and including this one as processed: the next fetch starts after it. */
  resolveOffset(offset: string): void;
  /** Heartbeats run on their own timer (heartbeatIntervalMs): this resolves at once. */
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  /** True once the group rebalanced after this batch was fetched (its partition may be gone). */
  isStale(): boolean;
}

export interface LeanRunConfig {
  readonly autoCommit?: false;
  readonly eachBatchAutoResolve?: false;
  eachBatch(payload: LeanBatchPayload): Promise<void>;
}

export interface LeanLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: LeanLogger = { debug() {}, info() {}, warn() {}, error() {} };
