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

/**
 * A fetched record batch that cannot be decoded (codec without decompressor or unknown, corrupt
 * compressed stream, CRC mismatch when checked, records that do not parse): handed over whole so
 * the application can dead-letter it. Offsets are decimal strings, as messages' are.
 */
export interface LeanUndecodableBatch {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: string;
  /** The batch's last offset (baseOffset + lastOffsetDelta): resolve it to move past the batch. */
  readonly lastOffset: string;
  /** The batch exactly as fetched, header included (a view of the Fetch response: copy to keep it). */
  readonly bytes: Buffer;
  /** Names the codec and the cause. */
  readonly reason: string;
}

export interface LeanUndecodablePayload {
  readonly batch: LeanUndecodableBatch;
  /** As for eachBatch: resolving batch.lastOffset moves the position past the batch; not resolving fetches it again. */
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface LeanRunConfig {
  readonly autoCommit?: false;
  readonly eachBatchAutoResolve?: false;
  eachBatch(payload: LeanBatchPayload): Promise<void>;
  /**
   * Called, in offset order between eachBatch calls, for a batch that cannot be decoded. Without
   * it such a batch fails the fetch loop with UNDECODABLE_BATCH, retried with back-off (the
   * partition stalls visibly: nothing is skipped that nobody was told about).
   */
  eachUndecodableBatch?(payload: LeanUndecodablePayload): Promise<void>;
}

export interface LeanLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: LeanLogger = { debug() {}, info() {}, warn() {}, error() {} };
