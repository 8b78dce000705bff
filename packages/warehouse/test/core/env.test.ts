import { describe, expect, it } from 'vitest';
import { WAREHOUSE_ENV_DEFAULTS, warehouseEnv } from '../../src/index.ts';

describe('warehouseEnv', () => {
  it('defaults when nothing is set', () => {
    expect(warehouseEnv({})).toEqual(WAREHOUSE_ENV_DEFAULTS);
  });

  it('reads every key', () => {
    expect(warehouseEnv({ WARMCAST_WAREHOUSE_DIR: '/var/wh', WARMCAST_WAREHOUSE_HTTP_PORT: '-1', WARMCAST_WAREHOUSE_HTTP_HOST: '0.0.0.0', WARMCAST_WAREHOUSE_MAX_ROWS: '500', WARMCAST_WAREHOUSE_MAX_DELAY_MS: '0' }))
      .toEqual({ dataDir: '/var/wh', httpPort: -1, httpHost: '0.0.0.0', maxRows: 500, maxDelayMs: 0 });
  });

  it.each([
    ['WARMCAST_WAREHOUSE_HTTP_PORT', '70000', 'WARMCAST_WAREHOUSE_HTTP_PORT="70000" must be an integer in -1..65535'],
    ['WARMCAST_WAREHOUSE_MAX_ROWS', '0', 'WARMCAST_WAREHOUSE_MAX_ROWS="0" must be an integer in 1..1000000'],
    ['WARMCAST_WAREHOUSE_MAX_DELAY_MS', '1.5', 'WARMCAST_WAREHOUSE_MAX_DELAY_MS="1.5" must be an integer in 0..600000'],
  ])('names the key, value and range: %s=%s', (key, value, message) => {
    expect(() => warehouseEnv({ [key]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message }));
  });
});
