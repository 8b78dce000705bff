import { describe, expect, it } from 'vitest';
import { bindValues, parseHttpRequest, placeholderTypes, rowBinaryInsert, unescapeTsv } from '../../src/core/http-request.ts';

describe('parseHttpRequest', () => {
  it('splits parameters, settings and transport keys as ClickHouse does', () => {
    const r = parseHttpRequest(new URLSearchParams('query=SELECT%201&query_id=q1&database=default&param_user=u%3A1&default_format=JSON&wait_end_of_query=1&output_format_json_quote_64bit_integers=0'));
    expect(r).toEqual({ ok: true, request: { urlQuery: 'SELECT 1', params: { user: 'u:1' }, settings: { default_format: 'JSON', output_format_json_quote_64bit_integers: '0' }, queryId: 'q1', database: 'default' } });
  });

  it('forwards only output settings: others would stick to the shared chDB session', () => {
    const r = parseHttpRequest(new URLSearchParams('readonly=1&max_memory_usage=1&date_time_output_format=iso'));
    expect(r).toMatchObject({ ok: true, request: { settings: { date_time_output_format: 'iso' } } });
  });

  it('refuses a setting name that could not be a ClickHouse setting', () => {
    expect(parseHttpRequest(new URLSearchParams('x%3B%20DROP=1'))).toMatchObject({ ok: false });
  });
});

describe('bindValues', () => {
  it('decodes escaped scalars (what @clickhouse/client sends) and \\N as NULL', () => {
    const sql = 'SELECT {t:String}, {n:Nullable(String)}, {k:UInt32}';
    expect(bindValues(sql, { t: "x\\'); DROP\\n\\\\ \\t", n: '\\N', k: '42' })).toEqual({ ok: true, values: { t: "x'); DROP\n\\ \t", n: null, k: '42' } });
  });

  it('passes composite values through as text, refusing ones it cannot pass unchanged', () => {
    expect(bindValues('SELECT {ids:Array(String)}', { ids: "['a','b']" })).toEqual({ ok: true, values: { ids: "['a','b']" } });
    expect(bindValues('SELECT {ids:Nullable(Array(String))}', { ids: "['a\\'b']" })).toMatchObject({ ok: false, problem: expect.stringContaining('composite') });
  });

  it('finds placeholder types, spaces allowed', () => {
    expect([...placeholderTypes('WHERE a = { a : String } AND b IN {b:Array(UInt8)}')]).toEqual([['a', 'String'], ['b', 'Array(UInt8)']]);
  });

  it('unescapes unknown escapes to the character itself', () => {
    expect(unescapeTsv('\\q\\0\\')).toBe('q\0\\');
  });
});

describe('rowBinaryInsert', () => {
  it('reads the table and columns of a RowBinary INSERT as httpSender sends it', () => {
    expect(rowBinaryInsert('INSERT INTO raw_requests (request_id, user_key) FORMAT RowBinary')).toEqual({ table: 'raw_requests', columns: ['request_id', 'user_key'] });
    expect(rowBinaryInsert('  insert into t(a)  format rowbinary \n')).toEqual({ table: 't', columns: ['a'] });
  });

  it.each([
    'INSERT INTO t (a) FORMAT JSONEachRow',
    'INSERT INTO t FORMAT RowBinary', // no column list: left to exec
    'INSERT INTO db.t (a) FORMAT RowBinary',
    'INSERT INTO t (a, `b c`) FORMAT RowBinary',
    'INSERT INTO t (a) FORMAT RowBinaryWithNames',
    'INSERT INTO t (a) SELECT 1 FORMAT RowBinary',
    'SELECT 1 FORMAT RowBinary',
  ])('leaves %j to the ordinary path', (sql) => {
    expect(rowBinaryInsert(sql)).toBeNull();
  });
});
