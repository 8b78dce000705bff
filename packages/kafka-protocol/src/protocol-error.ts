/**
 * The one error type the codec throws. Closed list of codes (STYLE.md 5):
 *
 * | code                | retriable | meaning                                                  |
 * |---------------------|-----------|----------------------------------------------------------|
 * | UNSUPPORTED_API     | no        | api key not in API_SPECS                                 |
 * | UNSUPPORTED_VERSION | no        | version outside the spec's validVersions                 |
 * | MALFORMED           | no        | bytes do not parse (truncated, bad length, bad count...) |
 *
 * None is retriable: the same bytes fail the same way. A server answers the first two with
 * UNSUPPORTED_VERSION (35) / closes the connection on MALFORMED, as Kafka does.
 */
export type ProtocolErrorCode = 'UNSUPPORTED_API' | 'UNSUPPORTED_VERSION' | 'MALFORMED';

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  readonly retriable = false;

  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function malformed(message: string, cause?: unknown): ProtocolError {
  return new ProtocolError('MALFORMED', message, cause === undefined ? undefined : { cause });
}
