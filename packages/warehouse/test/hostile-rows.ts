// Rows for any insertable table, built from its column list (src/core/columns.ts), whose values
// cycle through hostile cases per column kind: TSV/JSON/SQL specials, NUL, unicode and emoji,
// a 100 KB string, empty strings, NULLs, extreme numbers, DateTime64 at ms precision near the
// ambiguous short-integer range, maps and arrays with quotes and controls inside. List lengths
// are pairwise distinct-ish so combinations vary across rows.
import { insertColumns } from '../src/core/columns.ts';
import type { Column } from '../src/core/columns.ts';
import type { InsertableTable } from '../src/index.ts';
import { HOSTILE } from './fixtures.ts';

export const HOSTILE_STRINGS: readonly string[] = [
  '', 'plain', 'tab\there', 'line\nbreak', 'cr\rlf\r\n', 'back\\slash', 'trailing\\', "single'quote", 'double"quote', 'nul\0byte',
  'ünïcödé ß 中文', '😀 emoji 👩‍💻', 'x'.repeat(100_000), '\\N', 'NULL', '\\t literal', "\\'", '\t\n\r\\\0\'"', '{user:String}', HOSTILE,
  ' leading and trailing ', '[\'a\',NULL]', '{\'k\':\'v\'}', '1732370000.123', '\b\f\x07\v', '\u2028\u2029',
];

const INT_RANGES: Readonly<Record<string, readonly number[]>> = {
  UInt8: [0, 1, 7, 255],
  UInt16: [0, 5, 65_535],
  UInt32: [0, 1, 4_294_967_295, 123_456],
  UInt64: [0, 1, Number.MAX_SAFE_INTEGER, 2_005_000],
  Int32: [0, -1, -2_147_483_648, 2_147_483_647, 42],
};
const FLOATS = [0, -0, 1, -1.5, 0.1, 1e300, -1e300, 5e-324, 1e-7, 123_456_789.123, 2 ** 53, -(2 ** 53), 0.30000000000000004];
// TabSeparated reads "s.mmm" as a Unix time only for 9-10 digit s (10^11 .. 10^13 ms); the edges
// and short values either side; 4102444799999 = 2099-12-31 23:59:59.999, 10413791999999 = 2299-12-31 23:59:59.999.
const TIMES = [0, 1, 999, 1000, 10_000_000, 99_999_999_999, 100_000_000_000, 1_732_370_000_123, 1_763_900_000_000, 4_102_444_799_999, 9_999_999_999_999, 10_000_000_000_000, 10_413_791_999_999];
const STRING_MAPS: readonly Record<string, string>[] = [
  {}, { team: 'ml', env: 'prod' }, { 'k\tey': 'v\nal', "it's": 'back\\slash' }, { '😀': '', '': 'nul\0' }, { a: '\\N', b: 'NULL', c: '\r' },
];
const FLOAT_MAPS: readonly Record<string, number>[] = [{}, { 'python3.12': 0.75, node20: 0.25 }, { "q'uote": -1e300, 'tab\t': 5e-324, '': 0 }];
const STRING_ARRAYS: readonly string[][] = [[], ['trace', 'empty'], ["q'", 'tab\t', 'nl\n', '\\'], ['😀', '']];
const NULLABLE_ARRAYS: readonly (string | null)[][] = [[], [null], ['YWJj', null, ''], ["'\\\n", 'x']];

function valuesFor(c: Column): readonly unknown[] {
  const base = c.chType.replace(/^LowCardinality\((.*)\)$/, '$1').replace(/^Nullable\((.*)\)$/, '$1');
  let values: readonly unknown[];
  switch (c.kind.type) {
    case 'string': values = HOSTILE_STRINGS; break;
    case 'int': values = INT_RANGES[base] ?? [0, 1]; break;
    case 'float': values = FLOATS; break;
    case 'bool': values = [true, false]; break;
    case 'datetime64ms': values = TIMES; break;
    case 'map': values = c.kind.value === 'string' ? STRING_MAPS : FLOAT_MAPS; break;
    case 'array': values = c.kind.nullableElement ? NULLABLE_ARRAYS : STRING_ARRAYS; break;
  }
  return c.nullable ? [...values, null] : values;
}

/** n rows for `table`; column j of row i takes value (i + j) mod its list, so every value appears when n >= the longest list. */
export function hostileRows(table: InsertableTable, n: number): Record<string, unknown>[] {
  const cols = insertColumns(table);
  const lists = cols.map(valuesFor);
  return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map((c, j) => {
    const list = lists[j] as readonly unknown[];
    return [c.name, list[(i + j) % list.length]];
  })));
}
