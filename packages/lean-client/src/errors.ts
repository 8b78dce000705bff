// Errors are data (STYLE.md 5): a closed list of codes, a retriable flag, the cause kept.
// The consumer's own loop retries retriable ones with back-off (50 ms doubling to 2 s);
// non-retriable ones reach the caller (connect/subscribe/run/commitOffsets reject).

export const LEAN_ERROR_CODES = {
  CONNECTION_FAILED: { retriable: true, summary: 'a broker socket could not be opened or closed under a request' },
  COORDINATOR_NOT_AVAILABLE: { retriable: true, summary: 'FindCoordinator found no coordinator yet, or the coordinator moved/is loading' },
  REBALANCE_IN_PROGRESS: { retriable: true, summary: 'the group is rebalancing: the member must rejoin before committing or fetching' },
  UNKNOWN_TOPIC: { retriable: false, summary: 'a subscribed topic does not exist on the cluster' },
  UNDECODABLE_BATCH: { retriable: false, summary: 'a fetched record batch cannot be decoded and run() got no eachUndecodableBatch to hand it to' },
  GROUP_ERROR: { retriable: false, summary: 'JoinGroup/SyncGroup answered with an error that rejoining cannot fix' },
  COMMIT_FAILED: { retriable: false, summary: 'OffsetCommit answered with an error for at least one partition' },
  PROTOCOL_ERROR: { retriable: false, summary: 'a response could not be decoded or a batch is malformed' },
  PRODUCE_FAILED: { retriable: true, summary: 'a produced batch was not acked after the attempts (retriable), or the broker refused it (not retriable)' },
  NOT_RUNNING: { retriable: false, summary: 'the consumer is not connected (call connect first) or was disconnected' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type LeanErrorCode = keyof typeof LEAN_ERROR_CODES;

export class LeanClientError extends Error {
  readonly code: LeanErrorCode;
  readonly retriable: boolean;
  /** The Kafka error code when the broker sent one. */
  readonly kafkaCode: number | undefined;

  constructor(code: LeanErrorCode, message: string, options: { cause?: unknown; retriable?: boolean; kafkaCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LeanClientError';
    this.code = code;
    this.retriable = options.retriable ?? LEAN_ERROR_CODES[code].retriable;
    this.kafkaCode = options.kafkaCode;
  }
}

export function isRetriable(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) return false;
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
