import { describe, expect, it } from 'vitest';
import { STACK_DEFAULTS, StackOptionError, parseStackOptions } from '../../src/core/options.ts';

describe('parseStackOptions', () => {
  it('gives the documented defaults: ./data, Kafka 9092, registry 8081, ClickHouse 8123, speed 60, prediction on', () => {
    const o = parseStackOptions();
    expect(o).toEqual(STACK_DEFAULTS);
    expect([o.dataDir, o.brokerPort, o.registryPort, o.clickhousePort, o.speed, o.predict]).toEqual(['./data', 9092, 8081, 8123, 60, true]);
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('keeps given values and lets undefined fall back to the default', () => {
    const o = parseStackOptions({ speed: 600, durationS: 30, brokerPort: 0, minutes: undefined, predict: false });
    expect([o.speed, o.durationS, o.brokerPort, o.minutes, o.predict]).toEqual([600, 30, 0, null, false]);
  });

  it.each([
    [{ speed: 0 }, /speed=0 must be a number in \(0, 100000\]/],
    [{ speed: Number.NaN }, /speed=null must be/],
    [{ brokerPort: 70000 }, /brokerPort=70000 must be an integer port in 0..65535/],
    [{ durationS: -1 }, /durationS=-1 must be a number of seconds > 0/],
    [{ partitions: 0 }, /partitions=0 must be an integer in 1..64/],
    [{ logLevel: 'loud' }, /logLevel="loud" must be one of fatal, error/],
    [{ dataDir: '' }, /dataDir="" must be a non-empty string/],
    [{ fromMinute: 1.5 }, /fromMinute=1.5 must be an integer/],
    [{ colour: 'red' }, /colour="red" must be a known option/],
  ])('refuses %j naming the option, the value and what is allowed', (given, message) => {
    expect(() => parseStackOptions(given as never)).toThrow(StackOptionError);
    expect(() => parseStackOptions(given as never)).toThrow(message);
  });
});
