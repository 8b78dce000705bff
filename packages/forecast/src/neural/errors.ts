/**
 * Errors of the neural model, as data (STYLE.md 5). Closed list of codes; none is retriable:
 * each one means the caller or the machine has to change, not that trying again helps.
 *
 * | code                 | when                                                            |
 * |----------------------|-----------------------------------------------------------------|
 * | BACKEND_UNAVAILABLE  | the requested tfjs backend cannot be loaded or initialised      |
 * | NOT_FITTED           | predict() before a successful fit()                             |
 * | DISPOSED             | any call after dispose()                                        |
 * | NO_TRAINING_DATA     | fit() got no series with at least 2 minutes                     |
 *
 * Bad arguments (negative counts, horizon out of range, quantile outside (0,1)) are
 * programmer errors and throw RangeError instead.
 */
export type NeuralErrorCode = 'BACKEND_UNAVAILABLE' | 'NOT_FITTED' | 'DISPOSED' | 'NO_TRAINING_DATA';

export class NeuralModelError extends Error {
  override readonly name = 'NeuralModelError';
  readonly retriable = false;
  constructor(readonly code: NeuralErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
