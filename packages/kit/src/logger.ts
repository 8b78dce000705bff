// pino root logger. Units of work get children: log.child({ topic, partition, offset }).
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

export function createLogger(options: { name: string; level: LogLevel; destination?: pino.DestinationStream }): Logger {
  const opts = { name: options.name, level: options.level, base: { service: options.name } };
  return options.destination === undefined ? pino(opts) : pino(opts, options.destination);
}
