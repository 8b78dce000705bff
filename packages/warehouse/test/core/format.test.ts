import { describe, expect, it } from 'vitest';
import { formatResult, parseParam, returnsRows } from '../../src/index.ts';

const result = {
  meta: [{ name: 'user_key', type: 'String' }, { name: 'n', type: 'UInt64' }, { name: '1', type: 'Nullable(String)' }, { name: 'mix', type: 'Map(String, Float64)' }],
  data: [['u:1', 12, null, { a: 0.5 }], ['u:22', 3, 'x\ny', {}]],
};

describe('formatResult', () => {
  it('table: aligned, numbers right-aligned, NULL shown, newlines escaped, row count', () => {
    expect(formatResult(result, 'table')).toBe([
      'user_key |  n | 1    | mix',
      '---------+----+------+----------',
      'u:1      | 12 | NULL | {"a":0.5}',
      'u:22     |  3 | x\\ny | {}',
      '(2 rows)',
      '',
    ].join('\n'));
  });

  it('csv: RFC 4180 quoting, NULL as an empty field, CRLF', () => {
    expect(formatResult(result, 'csv')).toBe('user_key,n,1,mix\r\nu:1,12,,"{""a"":0.5}"\r\n' + 'u:22,3,"x\ny",{}\r\n');
  });

  it('json: objects in column order, values as typed', () => {
    expect(JSON.parse(formatResult(result, 'json'))).toEqual([{ user_key: 'u:1', n: 12, 1: null, mix: { a: 0.5 } }, { user_key: 'u:22', n: 3, 1: 'x\ny', mix: {} }]);
  });
});

describe('parseParam', () => {
  it('splits at the first =, keeping the rest of the value as is', () => {
    expect(parseParam("t=a=b'; --")).toEqual({ ok: true, name: 't', value: "a=b'; --" });
    expect(parseParam('empty=')).toEqual({ ok: true, name: 'empty', value: '' });
  });

  it.each(['novalue', '1x=2', 'a-b=1', '=1'])('refuses %j', (arg) => {
    expect(parseParam(arg)).toMatchObject({ ok: false });
  });
});

describe('returnsRows', () => {
  it.each([
    ['SELECT 1', true], ['  with x AS (SELECT 1) SELECT * FROM x', true], ['-- note\nSELECT 1', true], ['/* c */ SHOW TABLES', true],
    ['DESCRIBE forecasts', true], ['(SELECT 1)', true], ['CREATE TABLE t (a UInt8) ENGINE = Memory', false], ['INSERT INTO t VALUES (1)', false], ['OPTIMIZE TABLE commands FINAL', false],
  ])('%j -> %s', (sql, rows) => {
    expect(returnsRows(sql)).toBe(rows);
  });
});
