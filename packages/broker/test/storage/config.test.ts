import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, resolveLogConfig, topicLogConfig } from '../../src/storage/index.ts';

describe('LogConfig', () => {
  it('defaults match the documented values', () => {
    expect(DEFAULT_LOG_CONFIG).toEqual({
      segmentBytes: 64 * 1024 * 1024,
      retentionMs: 7 * 24 * 3600 * 1000,
      retentionBytes: -1,
      fsync: 'interval',
      fsyncIntervalMs: 1000,
      maxBatchBytes: 1024 * 1024 + 12,
    });
    expect(Object.isFrozen(resolveLogConfig())).toBe(true);
  });

  const bad: Array<[string, Parameters<typeof resolveLogConfig>[0], RegExp]> = [
    ['tiny segments', { segmentBytes: 10 }, /^segmentBytes: 10 is outside \[1024, 2147483647\]/],
    ['segments past int32', { segmentBytes: 2 ** 31 }, /^segmentBytes/],
    ['negative retention other than -1', { retentionMs: -2 }, /^retentionMs: -2/],
    ['fractional bytes', { retentionBytes: 1.5 }, /^retentionBytes: 1.5/],
    ['unknown policy', { fsync: 'sometimes' as never }, /^fsync: sometimes is not one of always \| interval \| os/],
    ['zero interval', { fsyncIntervalMs: 0 }, /^fsyncIntervalMs: 0/],
    ['batch smaller than a header', { maxBatchBytes: 60 }, /^maxBatchBytes: 60/],
  ];
  for (const [what, o, msg] of bad) {
    it(`rejects ${what} naming key and value`, () => {
      expect(() => resolveLogConfig(o)).toThrow(msg);
    });
  }

  it('keeps -1 for unbounded retention', () => {
    expect(resolveLogConfig({ retentionMs: -1, retentionBytes: -1 })).toMatchObject({ retentionMs: -1, retentionBytes: -1 });
  });

  it('applies the Kafka topic configs it knows and ignores the rest', () => {
    const c = topicLogConfig(DEFAULT_LOG_CONFIG, { 'retention.ms': '60000', 'segment.bytes': '1048576', 'retention.bytes': '-1', 'max.message.bytes': '2000000', 'cleanup.policy': 'delete' });
    expect(c).toMatchObject({ retentionMs: 60000, segmentBytes: 1048576, retentionBytes: -1, maxBatchBytes: 2000000, fsync: 'interval' });
    expect(() => topicLogConfig(DEFAULT_LOG_CONFIG, { 'retention.ms': 'soon' })).toThrow(/^retention.ms: "soon" is not an integer/);
    expect(() => topicLogConfig(DEFAULT_LOG_CONFIG, { 'segment.bytes': '' })).toThrow(/^segment.bytes: "" is not an integer/);
    expect(() => topicLogConfig(DEFAULT_LOG_CONFIG, { 'segment.bytes': '100' })).toThrow(/^segment.bytes: segmentBytes: 100 is outside/);
  });
});
