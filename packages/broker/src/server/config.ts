/**
 * Broker configuration: defaults, parse, validate, freeze, once at start-up (STYLE.md 6).
 * Every error names the key, the value and what is allowed, e.g.
 *   "port: 70000 is not an integer in [0, 65535]".
 */
import type { Logger } from 'pino';
import { resolveLogConfig, type FsyncPolicy, type LogConfig } from '../storage/index.ts';
import type { Clock } from './context.ts';

/** What callers pass to startBroker(); everything but dataDir is optional. */
export interface BrokerOptions {
  port?: number;
  host?: string;
  /** Host written into Metadata; defaults to host. */
  advertisedHost?: string;
  dataDir: string;
  nodeId?: number;
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with numPartitions -1. */
  defaultPartitions?: number;
  fsync?: FsyncPolicy;
  fsyncIntervalMs?: number;
  retentionMs?: number;
  retentionBytes?: number;
  segmentBytes?: number;
  /** Largest request frame accepted; bigger frames close the connection. */
  maxFrameBytes?: number;
  groupInitialRebalanceDelayMs?: number;
  /** How often retention runs (Kafka log.retention.check.interval.ms is 5 min; we use 1 min). */
  retentionCheckIntervalMs?: number;
  clusterId?: string;
  logger?: Logger;
  clock?: Clock;
}

/** The validated, frozen configuration every part of the broker reads. */
export interface BrokerConfig {
  readonly port: number;
  readonly host: string;
  readonly advertisedHost: string;
  readonly dataDir: string;
  readonly nodeId: number;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly fsync: FsyncPolicy | undefined;
  readonly fsyncIntervalMs: number | undefined;
  readonly retentionMs: number | undefined;
  readonly retentionBytes: number | undefined;
  readonly segmentBytes: number | undefined;
  readonly maxFrameBytes: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly retentionCheckIntervalMs: number;
  readonly clusterId: string;
}

export const BROKER_DEFAULTS = Object.freeze({
  port: 9092,
  host: '127.0.0.1',
  nodeId: 1,
  autoCreateTopics: true,
  defaultPartitions: 1,
  maxFrameBytes: 100 * 1024 * 1024,
  groupInitialRebalanceDelayMs: 3000,
  retentionCheckIntervalMs: 60_000,
  // 22 characters like Kafka's base64 UUIDs; fixed so a restarted broker keeps its identity.
  clusterId: 'warmcast-embedded-0001',
});

export class BrokerConfigError extends RangeError {
  readonly key: string;
  constructor(key: string, value: unknown, allowed: string) {
    super(`${key}: ${JSON.stringify(value)} is not ${allowed}`);
    this.name = 'BrokerConfigError';
    this.key = key;
  }
}

const INT32_MAX = 2 ** 31 - 1;
const FSYNC: readonly FsyncPolicy[] = ['always', 'interval', 'os'];

function int(key: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new BrokerConfigError(key, value, `an integer in [${min}, ${max}]`);
  }
  return value;
}

function optInt(key: string, value: unknown, min: number, max: number, allowMinusOne = false): number | undefined {
  if (value === undefined) return undefined;
  if (allowMinusOne && value === -1) return -1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new BrokerConfigError(key, value, `an integer in [${min}, ${max}]${allowMinusOne ? ' or -1' : ''}`);
  }
  return value;
}

function str(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new BrokerConfigError(key, value, 'a non-empty string');
  return value;
}

/** pre: options come from code or the CLI (numbers already parsed). Throws BrokerConfigError. */
export function parseBrokerConfig(options: BrokerOptions): BrokerConfig {
  const o = options as unknown as Record<string, unknown>;
  const host = o['host'] === undefined ? BROKER_DEFAULTS.host : str('host', o['host']);
  const autoCreate = o['autoCreateTopics'] ?? BROKER_DEFAULTS.autoCreateTopics;
  if (typeof autoCreate !== 'boolean') throw new BrokerConfigError('autoCreateTopics', autoCreate, 'true or false');
  const fsync = o['fsync'];
  if (fsync !== undefined && !FSYNC.includes(fsync as FsyncPolicy)) {
    throw new BrokerConfigError('fsync', fsync, `one of ${FSYNC.join(' | ')}`);
  }
  const config: BrokerConfig = {
    port: int('port', o['port'] ?? BROKER_DEFAULTS.port, 0, 65535),
    host,
    advertisedHost: o['advertisedHost'] === undefined ? host : str('advertisedHost', o['advertisedHost']),
    dataDir: str('dataDir', o['dataDir']),
    nodeId: int('nodeId', o['nodeId'] ?? BROKER_DEFAULTS.nodeId, 0, INT32_MAX),
    autoCreateTopics: autoCreate,
    // Kafka caps nothing here, but 10,000 partitions of one topic is already far past one node.
    defaultPartitions: int('defaultPartitions', o['defaultPartitions'] ?? BROKER_DEFAULTS.defaultPartitions, 1, 10_000),
    fsync: fsync as FsyncPolicy | undefined,
    fsyncIntervalMs: optInt('fsyncIntervalMs', o['fsyncIntervalMs'], 1, 86_400_000),
    retentionMs: optInt('retentionMs', o['retentionMs'], 0, Number.MAX_SAFE_INTEGER, true),
    retentionBytes: optInt('retentionBytes', o['retentionBytes'], 0, Number.MAX_SAFE_INTEGER, true),
    segmentBytes: optInt('segmentBytes', o['segmentBytes'], 1024, INT32_MAX),
    // A frame needs at least a request header (10 bytes); Kafka's socket.request.max.bytes is 100 MiB.
    maxFrameBytes: int('maxFrameBytes', o['maxFrameBytes'] ?? BROKER_DEFAULTS.maxFrameBytes, 1024, INT32_MAX),
    groupInitialRebalanceDelayMs: int('groupInitialRebalanceDelayMs', o['groupInitialRebalanceDelayMs'] ?? BROKER_DEFAULTS.groupInitialRebalanceDelayMs, 0, 300_000),
    retentionCheckIntervalMs: int('retentionCheckIntervalMs', o['retentionCheckIntervalMs'] ?? BROKER_DEFAULTS.retentionCheckIntervalMs, 1000, 86_400_000),
    clusterId: o['clusterId'] === undefined ? BROKER_DEFAULTS.clusterId : str('clusterId', o['clusterId']),
  };
  return Object.freeze(config);
}

/** The storage log config this broker config asks for (storage's defaults for unset keys). */
export function logConfigOf(c: BrokerConfig): Readonly<LogConfig> {
  const o: Partial<LogConfig> = {};
  if (c.fsync !== undefined) o.fsync = c.fsync;
  if (c.fsyncIntervalMs !== undefined) o.fsyncIntervalMs = c.fsyncIntervalMs;
  if (c.retentionMs !== undefined) o.retentionMs = c.retentionMs;
  if (c.retentionBytes !== undefined) o.retentionBytes = c.retentionBytes;
  if (c.segmentBytes !== undefined) o.segmentBytes = c.segmentBytes;
  return resolveLogConfig(o);
}
