import { describe, expect, it } from 'vitest';
import { BROKER_DEFAULTS, BrokerConfigError, parseBrokerConfig, type BrokerOptions } from '../../src/server/config.ts';

describe('parseBrokerConfig', () => {
  it('fills documented defaults and freezes', () => {
    const c = parseBrokerConfig({ dataDir: '/tmp/x' });
    expect(c).toMatchObject({
      port: 9092, host: '127.0.0.1', advertisedHost: '127.0.0.1', nodeId: 1, autoCreateTopics: true,
      defaultPartitions: 1, maxFrameBytes: 100 * 1024 * 1024, groupInitialRebalanceDelayMs: 3000,
      retentionCheckIntervalMs: 60_000, clusterId: BROKER_DEFAULTS.clusterId,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('advertisedHost defaults to host, and can differ', () => {
    expect(parseBrokerConfig({ dataDir: 'd', host: '0.0.0.0' }).advertisedHost).toBe('0.0.0.0');
    expect(parseBrokerConfig({ dataDir: 'd', host: '0.0.0.0', advertisedHost: 'kafka' }).advertisedHost).toBe('kafka');
  });

  it('accepts port 0 and retention -1', () => {
    const c = parseBrokerConfig({ dataDir: 'd', port: 0, retentionMs: -1, fsync: 'always' });
    expect(c.port).toBe(0);
    expect(c.retentionMs).toBe(-1);
    expect(c.fsync).toBe('always');
  });

  const bad: [string, Partial<BrokerOptions> & Record<string, unknown>, RegExp][] = [
    ['port too big', { port: 70000 }, /^port: 70000 is not an integer in \[0, 65535\]/],
    ['port not integer', { port: 1.5 }, /^port: 1.5/],
    ['port as string', { port: '9092' as never }, /^port: "9092"/],
    ['dataDir missing', { dataDir: undefined }, /^dataDir: undefined is not a non-empty string/],
    ['dataDir empty', { dataDir: '' }, /^dataDir: "" is not a non-empty string/],
    ['defaultPartitions 0', { defaultPartitions: 0 }, /^defaultPartitions: 0 is not an integer in \[1, 10000\]/],
    ['fsync unknown', { fsync: 'sometimes' as never }, /^fsync: "sometimes" is not one of always \| interval \| os/],
    ['retentionMs -2', { retentionMs: -2 }, /^retentionMs: -2 is not an integer in \[0, \d+\] or -1/],
    ['maxFrameBytes tiny', { maxFrameBytes: 10 }, /^maxFrameBytes: 10 is not an integer in \[1024, 2147483647\]/],
    ['nodeId negative', { nodeId: -1 }, /^nodeId: -1/],
    ['autoCreateTopics string', { autoCreateTopics: 'yes' as never }, /^autoCreateTopics: "yes" is not true or false/],
    ['segmentBytes small', { segmentBytes: 100 }, /^segmentBytes: 100/],
    ['host empty', { host: '' }, /^host: "" is not a non-empty string/],
  ];
  it.each(bad)('rejects %s, naming key, value and allowed range', (_name, override, message) => {
    const opts = { dataDir: '/tmp/x', ...override } as BrokerOptions;
    expect(() => parseBrokerConfig(opts)).toThrow(BrokerConfigError);
    expect(() => parseBrokerConfig(opts)).toThrow(message);
  });
});
