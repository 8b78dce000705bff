import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from '../src/kafka-log.ts';

const { logLevel } = kafkajs;

function capture(): { lines: { level: number; msg: string; namespace: string }[]; log: Logger } {
  const lines: { level: number; msg: string; namespace: string }[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString()) as never); cb(); } });
  return { lines, log: pino({ level: 'debug' }, sink) as Logger };
}

describe('kafkaLogCreator', () => {
  it('routes kafkajs levels to pino levels, and the idempotent-producer retry notice to debug', () => {
    const { lines, log } = capture();
    const write = kafkaLogCreator(log)(logLevel.DEBUG);
    const entry = (message: string) => ({ message, timestamp: 'now', logger: 'kafkajs' });
    write({ namespace: 'Producer', level: logLevel.WARN, label: 'WARN', log: entry('Limiting retries for the idempotent producer may invalidate EoS guarantees') });
    write({ namespace: 'Consumer', level: logLevel.WARN, label: 'WARN', log: entry('The group is rebalancing') });
    write({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: entry('Connection error') });
    expect(lines.map((l) => [l.level, l.namespace])).toEqual([[20, 'Producer'], [40, 'Consumer'], [50, 'Connection']]);
  });
});
