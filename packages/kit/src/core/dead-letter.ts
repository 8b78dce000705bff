// Builds the dead-letter record from a raw Kafka message: original key, value and headers
// byte for byte, where it came from, and why it failed. Pure: time and service are arguments.
import type { DeadLetterInput, DeadLetterHeaderInput } from '../generated/types.ts';
import type { ErrorCode } from '../errors.ts';

export interface RawMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** kafkajs IHeaders shape: a header may repeat (array). */
  readonly headers: Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;
}

function toBytes(v: Buffer | string | undefined): Buffer | null {
  if (v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export function flattenHeaders(headers: RawMessage['headers']): DeadLetterHeaderInput[] {
  const out: DeadLetterHeaderInput[] = [];
  for (const [key, v] of Object.entries(headers)) {
    if (Array.isArray(v)) for (const item of v as readonly (Buffer | string)[]) out.push({ key, value: toBytes(item) });
    else out.push({ key, value: toBytes(v as Buffer | string | undefined) });
  }
  return out;
}

export function toDeadLetter(msg: RawMessage, reason: { code: ErrorCode; text: string; attempts: number }, service: string, nowMs: number): DeadLetterInput {
  return {
    sourceTopic: msg.topic,
    sourcePartition: msg.partition,
    sourceOffset: Number(msg.offset), // offsets < 2^53 (9e15) stay exact as doubles
    key: msg.key,
    value: msg.value,
    headers: flattenHeaders(msg.headers),
    reasonCode: reason.code,
    reasonText: reason.text.slice(0, 4096), // a stack-sized text per message would bloat the topic
    attempts: reason.attempts,
    service,
    failedAt: nowMs,
  };
}
