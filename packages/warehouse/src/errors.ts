// Warehouse errors are data (STYLE.md 5): a closed list of codes with a retriable flag, the
// cause always kept. `retriable` is what the kit's consumer loop and BatchWriter read
// (isRetriable duck-types it), so a ClickHouse outage is retried and a bad query is not.
// docs/warehouse.md lists every code.

export const WAREHOUSE_ERROR_CODES = {
  WAREHOUSE_LOCKED: { retriable: false, summary: 'the chDB data directory is held by another process (one process per directory)' },
  WAREHOUSE_UNAVAILABLE: { retriable: true, summary: 'ClickHouse could not be reached, timed out, or is overloaded; may succeed on retry' },
  QUERY_FAILED: { retriable: false, summary: 'ClickHouse rejected a statement (syntax, unknown column, bad parameter type, ...)' },
  MIGRATION_FAILED: { retriable: false, summary: 'a numbered migration failed or the recorded schema is newer/different than this code knows' },
  ROW_INVALID: { retriable: false, summary: 'a value cannot be mapped to a warehouse row' },
  CONFIG_INVALID: { retriable: false, summary: 'a warehouse option or environment variable has a value outside its allowed range' },
  ENDPOINT_UNAVAILABLE: { retriable: false, summary: 'the directory is locked and no running stack recorded an HTTP endpoint to use instead' },
  CLOSED: { retriable: false, summary: 'the warehouse or writer is closed and accepts no more work' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type WarehouseErrorCode = keyof typeof WAREHOUSE_ERROR_CODES;

export class WarehouseError extends Error {
  readonly code: WarehouseErrorCode;
  readonly retriable: boolean;

  constructor(code: WarehouseErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WarehouseError';
    this.code = code;
    this.retriable = options.retriable ?? WAREHOUSE_ERROR_CODES[code].retriable;
  }
}

export function isWarehouseError(err: unknown): err is WarehouseError {
  return err instanceof WarehouseError;
}

// ClickHouse server error codes worth retrying: the statement is fine, the server is busy.
// 159 TIMEOUT_EXCEEDED, 164 READONLY (replica catching up), 202 TOO_MANY_SIMULTANEOUS_QUERIES,
// 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR, 241 MEMORY_LIMIT_EXCEEDED, 242 TABLE_IS_READ_ONLY,
// 252 TOO_MANY_PARTS, 319 UNKNOWN_STATUS_OF_INSERT, 425 SYSTEM_ERROR.
const RETRIABLE_CLICKHOUSE_CODES = new Set(['159', '164', '202', '209', '210', '241', '242', '252', '319', '425']);
const RETRIABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

/** Maps anything the client threw to a WarehouseError; `what` says which call failed. */
export function toWarehouseError(err: unknown, what: string): WarehouseError {
  if (err instanceof WarehouseError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; type?: unknown; clickhouseCode?: unknown };
  // chDB's own errors (rawInsert) carry code 'CHDB_INSERT' and the ClickHouse code as clickhouseCode.
  const code = e.clickhouseCode !== undefined ? String(e.clickhouseCode) : e.code === undefined ? '' : String(e.code);
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (RETRIABLE_NODE_CODES.has(code) || RETRIABLE_CLICKHOUSE_CODES.has(code) || /socket hang up|Timeout error|timed out/i.test(message)) {
    return new WarehouseError('WAREHOUSE_UNAVAILABLE', `${what}: ${message}`, { cause: err });
  }
  return new WarehouseError('QUERY_FAILED', `${what}: ${message}`, { cause: err });
}
