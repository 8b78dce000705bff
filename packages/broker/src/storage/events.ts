/** What storage reports through the onEvent hook (the shell logs these; nothing here throws). */
export type StorageEvent =
  | { type: 'tail-truncated'; topic: string; partition: number; segment: bigint; position: number; droppedBytes: number; reason: string }
  | { type: 'segments-dropped'; topic: string; partition: number; segments: bigint[]; reason: string }
  | { type: 'index-rebuilt'; topic: string; partition: number; segment: bigint }
  | { type: 'segment-rolled'; topic: string; partition: number; segment: bigint }
  | { type: 'segment-deleted'; topic: string; partition: number; segment: bigint; reason: 'retention.ms' | 'retention.bytes' }
  /** The interval flusher could not fsync; the next tick retries. */
  | { type: 'fsync-failed'; topic: string; partition: number; err: unknown };

export interface StorageHooks {
  onEvent?(e: StorageEvent): void;
}
