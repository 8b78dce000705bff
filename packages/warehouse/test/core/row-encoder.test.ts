import { describe, expect, it } from 'vitest';
import { Tables } from '../../src/index.ts';
import { insertColumns } from '../../src/core/columns.ts';
import { INSERT_FORMATS, compileEncoder, escapeTsv, quoteTsv, tsvDateTime64 } from '../../src/core/row-encoder.ts';

const deadLetters = insertColumns(Tables.deadLetters);
const row = {
  source_topic: 'exec.request.received.v1', source_partition: 3, source_offset: 12_345, key_base64: null, value_base64: 'e\tx',
  header_keys: ['trace', "it's"], header_values_base64: ['YWJj', null], reason_code: 'DECODE_FAILED', reason_text: 'line\nbreak \\ tab\t nul\0 cr\r 😀',
  attempts: 1, service: 'ingest', failed_at: 1_763_900_000_007,
};

describe('TabSeparated pieces', () => {
  it.each([
    [0, '1970-01-01 00:00:00.000'],
    [-1, '1969-12-31 23:59:59.999'],
    [99_999_999_999, '1973-03-03 09:46:39.999'], // 11 digits of ms: below the 9-digit-seconds range
    [100_000_000_000, '100000000.000'],
    [1_763_900_000_007, '1763900000.007'],
    [9_999_999_999_999, '9999999999.999'],
    [10_000_000_000_000, '2286-11-20 17:46:40.000'],
  ])('tsvDateTime64(%d) = %s', (ms, text) => {
    expect(tsvDateTime64(ms)).toBe(text);
  });

  it.each([
    ['plain', 'plain', "'plain'"],
    ['', '', "''"],
    ['a\tb\nc\rd\\e\0f', 'a\\tb\\nc\\rd\\\\e\\0f', "'a\\tb\\nc\\rd\\\\e\\0f'"],
    ["it's", "it's", "'it\\'s'"],
    ['😀 ü', '😀 ü', "'😀 ü'"],
  ])('escapeTsv / quoteTsv of %j', (s, escaped, quoted) => {
    expect(escapeTsv(s)).toBe(escaped);
    expect(quoteTsv(s)).toBe(quoted);
  });
});

describe('compileEncoder', () => {
  it('TabSeparated: one line per row in column order, \\N for NULL, quoted arrays and maps', () => {
    const enc = compileEncoder(Tables.deadLetters, deadLetters, 'TabSeparated');
    expect(enc.columns).toEqual(deadLetters.map((c) => c.name));
    expect(enc.encode([row, row]).split('\n')).toEqual([
      ['exec.request.received.v1', '3', '12345', '\\N', 'e\\tx', "['trace','it\\'s']", "['YWJj',NULL]", 'DECODE_FAILED', 'line\\nbreak \\\\ tab\\t nul\\0 cr\\r 😀', '1', 'ingest', '1763900000.007'].join('\t'),
    ].flatMap((l) => [l, l]));
    const forecasts = insertColumns(Tables.forecasts);
    const f = compileEncoder(Tables.forecasts, forecasts, 'TabSeparated');
    const line = f.encode([Object.fromEntries(forecasts.map((c) => [c.name, c.kind.type === 'map' ? { "a'b": 0.5, '\t': -1e300 } : c.kind.type === 'string' ? 's' : 1]))]);
    expect(line.split('\t').filter((x) => x.startsWith('{'))).toEqual(["{'a\\'b':0.5,'\\t':-1e+300}", "{'a\\'b':0.5,'\\t':-1e+300}"]);
  });

  it('JSONCompactEachRow: a JSON array per row in column order (missing keys as null); JSONEachRow: the rows as JSON', () => {
    const compact = compileEncoder(Tables.deadLetters, deadLetters, 'JSONCompactEachRow');
    const first = JSON.parse(compact.encode([row, {}]).split('\n')[0] as string) as unknown[];
    expect(first).toEqual(deadLetters.map((c) => (row as Record<string, unknown>)[c.name]));
    expect(compact.encode([{}])).toBe(JSON.stringify(deadLetters.map(() => null)));
    expect(compileEncoder(Tables.deadLetters, deadLetters, 'JSONEachRow').encode([row, row])).toBe(`${JSON.stringify(row)}\n${JSON.stringify(row)}`);
  });

  it('an empty batch is an empty body in every format', () => {
    for (const format of INSERT_FORMATS) expect(compileEncoder(Tables.deadLetters, deadLetters, format).encode([]).length).toBe(0);
  });

  it.each([
    ['a number that is not finite', { attempts: Number.NaN }, /attempts=NaN: not a finite number/],
    ['a string where a number goes', { source_offset: '12' }, /source_offset=12: not a finite number/],
    ['a fractional ms time', { failed_at: 1.5 }, /failed_at=1.5: not an integer of ms/],
    ['a number where a string goes', { reason_code: 7 }, /reason_code=7: not a string/],
    ['NULL inside a non-nullable array', { header_keys: [null] }, /array element is not a string/],
  ])('TabSeparated refuses %s with ROW_INVALID (never writes a different value)', (_what, patch, message) => {
    const enc = compileEncoder(Tables.deadLetters, deadLetters, 'TabSeparated');
    expect(() => enc.encode([{ ...row, ...patch }])).toThrow(expect.objectContaining({ code: 'ROW_INVALID', message: expect.stringMatching(message) }));
  });

  it('refuses a column name that is not a plain identifier (names are compiled into code)', () => {
    const bad = [{ ...(deadLetters[0] as (typeof deadLetters)[number]), name: 'a;b' }];
    for (const format of INSERT_FORMATS) expect(() => compileEncoder('t', bad, format)).toThrow(/plain identifier/);
  });
});
