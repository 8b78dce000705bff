// Routes kafkajs's own log lines into pino (one child per kafkajs namespace), so a service
// writes one JSON log stream. kafkajs levels: 1 ERROR, 2 WARN, 4 INFO, 5 DEBUG.
import kafkajs from 'kafkajs';
import type { logCreator, LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

const { logLevel } = kafkajs;

const LIMITED_RETRIES = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

export function kafkaLogCreator(log: Logger): logCreator {
  return () => ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...rest } = entry;
    const child = log.child({ component: 'kafkajs', namespace });
    const obj = 'error' in rest ? { ...rest, err: rest['error'] } : rest;
    if (level === logLevel.ERROR) child.error(obj, message);
    // Said once per idempotent producer at connect: the kit caps retries on purpose (service.ts)
    // so shutdown cannot retry forever; the broker's sequence numbers still dedupe. Not a warning.
    else if (level === logLevel.WARN && message === LIMITED_RETRIES) child.debug(obj, message);
    else if (level === logLevel.WARN) child.warn(obj, message);
    else if (level === logLevel.INFO) child.info(obj, message);
    else child.debug(obj, message);
  };
}

/** kafkajs log level matching a pino level (kafkajs has no trace/fatal). */
export function kafkaLogLevel(level: string): number {
  switch (level) {
    case 'silent': return logLevel.NOTHING;
    case 'fatal': case 'error': return logLevel.ERROR;
    case 'warn': return logLevel.WARN;
    case 'info': return logLevel.INFO;
    default: return logLevel.DEBUG;
  }
}
