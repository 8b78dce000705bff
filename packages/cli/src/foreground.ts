/**
 * Foreground run shared by the long-running commands (`warmcast broker`, `warmcast registry`):
 * start a component, then on the first SIGTERM/SIGINT log one line, close it once and exit 0
 * (exit 1 when close fails). A start error the user can fix (bad option, port in use) is one
 * log line and exit code 2, no stack; any other start error propagates as before.
 */
import type { Logger } from 'pino';

export interface Closable {
  close(): Promise<void>;
}

export interface ForegroundOptions<T extends Closable> {
  logger: Logger;
  /** Starts the component; its own "listening" line is the component's to log. */
  start: () => Promise<T>;
  /** Log message for a user-fixable start error, e.g. 'cannot start the broker'. */
  startFailedMessage?: string;
  /** True for start errors that get one line and exit 2; default: none (they propagate). */
  isUserError?: (err: unknown) => boolean;
}

export async function runInForeground<T extends Closable>(o: ForegroundOptions<T>): Promise<T> {
  let component: T;
  try {
    component = await o.start();
  } catch (err) {
    if (o.isUserError?.(err) === true) {
      o.logger.error({ err: { message: (err as Error).message } }, o.startFailedMessage ?? 'cannot start');
      process.exit(2);
    }
    throw err;
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    o.logger.info({ signal }, 'shutting down');
    component.close().then(
      () => process.exit(0),
      (err: unknown) => {
        o.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return component;
}
