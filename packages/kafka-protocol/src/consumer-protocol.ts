import { Reader } from './reader.ts';
import { Writer } from './writer.ts';
import { ProtocolError, malformed } from './protocol-error.ts';
import type { DeepPartial } from './deep-partial.ts';
import {
  readConsumerProtocolSubscription, writeConsumerProtocolSubscription, consumerProtocolSubscriptionVersions,
  readConsumerProtocolAssignment, writeConsumerProtocolAssignment, consumerProtocolAssignmentVersions,
} from './generated/messages.ts';
import type { ConsumerProtocolSubscription, ConsumerProtocolAssignment } from './generated/messages.ts';

/**
 * The "consumer" embedded protocol carried as opaque bytes in JoinGroup metadata and SyncGroup
 * assignments: int16 version, then the struct (never flexible). As Kafka's ConsumerProtocol does,
 * a version newer than we know is read with our highest version (fields are only appended).
 * kafkajs writes v0 (userData), librdkafka 2.0.2 writes v1 (ownedPartitions) (see CLIENT_NOTES).
 */
function decodeVersioned<T>(buf: Uint8Array, max: number, read: (r: Reader, v: number) => T): { version: number; value: T } {
  try {
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length);
    const r = new Reader(b);
    const version = r.int16();
    if (version < 0) throw malformed(`consumer protocol version ${version}`);
    return { version, value: read(r, Math.min(version, max)) };
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw malformed('consumer protocol', err);
  }
}

export function encodeConsumerProtocolSubscription(sub: DeepPartial<ConsumerProtocolSubscription>, version = 0): Buffer {
  const w = new Writer(64);
  w.int16(version);
  writeConsumerProtocolSubscription(w, version, sub);
  return Buffer.from(w.finish());
}

export function decodeConsumerProtocolSubscription(buf: Uint8Array): { version: number; subscription: ConsumerProtocolSubscription } {
  const d = decodeVersioned(buf, consumerProtocolSubscriptionVersions.max, readConsumerProtocolSubscription);
  return { version: d.version, subscription: d.value };
}

export function encodeConsumerProtocolAssignment(assignment: DeepPartial<ConsumerProtocolAssignment>, version = 0): Buffer {
  const w = new Writer(64);
  w.int16(version);
  writeConsumerProtocolAssignment(w, version, assignment);
  return Buffer.from(w.finish());
}

export function decodeConsumerProtocolAssignment(buf: Uint8Array): { version: number; assignment: ConsumerProtocolAssignment } {
  const d = decodeVersioned(buf, consumerProtocolAssignmentVersions.max, readConsumerProtocolAssignment);
  return { version: d.version, assignment: d.value };
}
