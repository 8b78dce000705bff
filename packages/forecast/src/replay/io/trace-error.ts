// Errors are data (STYLE.md 5): a closed list of codes; none is retriable (the files do not change).
export type TraceErrorCode = 'TRACE_NOT_FOUND' | 'TRACE_EMPTY' | 'TRACE_BAD_HEADER' | 'TRACE_BAD_VALUE';

export class TraceError extends Error {
  readonly retriable = false;
  constructor(readonly code: TraceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TraceError';
  }
}
