import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_ERROR_CODES, WarehouseError, toWarehouseError } from '../src/index.ts';

describe('warehouse errors', () => {
  it('docs/warehouse.md lists every code with its retriable flag', () => {
    const doc = readFileSync(new URL('../../../docs/warehouse.md', import.meta.url), 'utf8');
    for (const [code, { retriable, summary }] of Object.entries(WAREHOUSE_ERROR_CODES)) {
      expect(doc, code).toContain(`| \`${code}\` | ${retriable ? 'yes' : 'no'} | ${summary} |`);
    }
  });

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8123' }, 'WAREHOUSE_UNAVAILABLE', true],
    [{ code: '252', message: 'Too many parts' }, 'WAREHOUSE_UNAVAILABLE', true],
    [{ message: 'Timeout error.' }, 'WAREHOUSE_UNAVAILABLE', true],
    [{ code: '62', message: 'Syntax error' }, 'QUERY_FAILED', false],
    // chDB's raw insert: its own code plus the ClickHouse one
    [{ code: 'CHDB_INSERT', clickhouseCode: 252, message: 'Too many parts (300)' }, 'WAREHOUSE_UNAVAILABLE', true],
    [{ code: 'CHDB_INSERT', clickhouseCode: 60, message: 'Table default.x does not exist' }, 'QUERY_FAILED', false],
  ])('classifies %j as %s', (err, code, retriable) => {
    expect(toWarehouseError(err, 'q')).toMatchObject({ code, retriable, cause: err });
  });

  it('keeps a WarehouseError as it is', () => {
    const e = new WarehouseError('ROW_INVALID', 'x');
    expect(toWarehouseError(e, 'q')).toBe(e);
  });
});
