// Rows -> one insert body, compiled once per table from its column list (columns.ts). Three
// text formats that chDB's raw insert and a ClickHouse server both parse:
//   JSONEachRow         one JSON.stringify per row, '\n'-joined: the old path's bytes, minus the client's stream
//   JSONCompactEachRow  one JSON array per row, values in column order (no key names to write or match)
//   TabSeparated        hand-escaped text
// Each encoder writes the SAME values the old client.insert(JSONEachRow) path did (the
// integration test compares both); bench/insert.bench.ts compares their cost (README: the last
// two tie, chDB's parse costs about the same for either).
// Values follow row-types.ts: times are integer ms since the epoch (DateTime64(3, 'UTC')).
// The binary format, RowBinary, is in rowbinary.ts; compileEncoder hands it out too.
import { WarehouseError } from '../errors.ts';
import type { Column } from './columns.ts';
import { compileRowBinary } from './rowbinary.ts';
import type { BinaryRowEncoder } from './rowbinary.ts';

export const TEXT_INSERT_FORMATS = ['JSONEachRow', 'JSONCompactEachRow', 'TabSeparated'] as const;
export type TextInsertFormat = (typeof TEXT_INSERT_FORMATS)[number];
/** RowBinary (rowbinary.ts) is binary: chDB takes it through file(), a server as the INSERT body. */
export const INSERT_FORMATS = [...TEXT_INSERT_FORMATS, 'RowBinary'] as const;
export type InsertFormat = (typeof INSERT_FORMATS)[number];

export interface RowEncoder {
  readonly format: TextInsertFormat;
  /** The column list to name in `INSERT INTO t (...) FORMAT x` (DEFAULT columns left out). */
  readonly columns: readonly string[];
  /** Rows -> body text, one row per line, no trailing newline. Throws ROW_INVALID on a value it cannot write exactly. */
  encode(rows: readonly object[]): string;
}

export function compileEncoder(table: string, columns: readonly Column[], format: TextInsertFormat): RowEncoder;
export function compileEncoder(table: string, columns: readonly Column[], format: 'RowBinary'): BinaryRowEncoder;
export function compileEncoder(table: string, columns: readonly Column[], format: InsertFormat): RowEncoder | BinaryRowEncoder;
export function compileEncoder(table: string, columns: readonly Column[], format: InsertFormat): RowEncoder | BinaryRowEncoder {
  if (format === 'RowBinary') return compileRowBinary(table, columns);
  const names = columns.map((c) => c.name);
  for (const n of names) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`row encoder: column ${JSON.stringify(n)} is not a plain identifier`);
  if (format === 'JSONEachRow') {
    return { format, columns: names, encode: (rows) => rows.map((r) => JSON.stringify(r)).join('\n') };
  }
  // Generated once per table, so each property is loaded by name (`r.request_id`) rather than
  // keyed through a names array. For JSONCompactEachRow this measured no clear gain (4-5 us/row
  // either way, noise on shared cores); it is kept as one shape for both encoders.
  // Column names are checked identifiers from the migrations, never input.
  if (format === 'JSONCompactEachRow') {
    const body = `const out = new Array(rows.length);
for (let i = 0; i < rows.length; i++) { const r = rows[i]; out[i] = JSON.stringify([${names.map((n) => `r.${n}`).join(', ')}]); }
return out.join('\\n');`;
    return { format, columns: names, encode: compile(body, {}) };
  }
  // One array joined per row: a 17-column `a + '\t' + b + ...` chain built a rope of 33 cons
  // strings per row and cost 12.9 us/row for raw_metrics against 3.9 us joined (encode only,
  // measured once while developing).
  const slow = columns.map((c) => tsvField(table, c));
  const exprs = columns.map((c, j) => tsvExpr(c, j));
  const body = `let v;
const out = new Array(rows.length);
for (let i = 0; i < rows.length; i++) { const r = rows[i]; out[i] = [${exprs.join(", ")}].join('\\t'); }
return out.join('\\n');`;
  return { format, columns: names, encode: compile(body, { S: TSV_SPECIAL, E: escapeTsvSlow, W: slow, P: MILLIS }) };
}

/** `function (rows) { body }` with `deps` in scope by name. */
function compile(body: string, deps: Readonly<Record<string, unknown>>): (rows: readonly object[]) => string {
  const factory = new Function(...Object.keys(deps), `return function encode(rows) {\n${body}\n};`) as (...d: unknown[]) => (rows: readonly object[]) => string;
  return factory(...Object.values(deps));
}

// '000'..'999': the millisecond part of "seconds.mmm".
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The fast path of column j as a JS expression over row `r`; anything unusual (null, wrong type, out-of-range time) goes to W[j]. */
function tsvExpr(c: Column, j: number): string {
  const v = `(v = r.${c.name})`;
  switch (c.kind.type) {
    case 'string': return `(typeof ${v} === 'string' ? (S.test(v) ? E(v) : v) : W[${j}](v))`;
    case 'int': case 'float': return `(typeof ${v} === 'number' && v - v === 0 ? '' + v : W[${j}](v))`;
    case 'bool': return `(${v} === true ? 'true' : v === false ? 'false' : W[${j}](v))`;
    case 'datetime64ms': return `(typeof ${v} === 'number' && v >= 1e11 && v < 1e13 && v % 1 === 0 ? Math.floor(v / 1000) + '.' + P[v % 1000] : W[${j}](v))`;
    default: return `W[${j}](r.${c.name})`;
  }
}

type FieldWriter = (v: unknown) => string;

// TabSeparated: \N is NULL; inside a field \\ \t \n \r \0 must be escaped (a raw tab or newline
// would split the row; \r and NUL are escaped as ClickHouse itself writes them).
const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_SPECIAL_G = /[\\\t\n\r\0]/g;
// Inside quoted map keys/values and array elements the quote and the same controls are escaped.
const QUOTED_SPECIAL = /[\\\t\n\r\0']/;
const QUOTED_SPECIAL_G = /[\\\t\n\r\0']/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'" };
const escapeChar = (c: string): string => ESCAPES[c] as string;

export function escapeTsv(s: string): string {
  return TSV_SPECIAL.test(s) ? escapeTsvSlow(s) : s;
}

function escapeTsvSlow(s: string): string {
  return s.replace(TSV_SPECIAL_G, escapeChar);
}

export function quoteTsv(s: string): string {
  return `'${QUOTED_SPECIAL.test(s) ? s.replace(QUOTED_SPECIAL_G, escapeChar) : s}'`;
}

/**
 * DateTime64(3) text ClickHouse's TabSeparated reader takes unambiguously. It reads "s.mmm" as a
 * Unix time only when s has 9 or 10 digits (1973-03-03 .. 2286-11-20: "100000000.000" ok,
 * "10000.000" and "10000000.000" refused as malformed dates); outside that, the calendar form
 * '1970-01-01 00:00:00.000' (also before 1970: '1969-12-31 23:59:59.999' is -1 ms).
 */
export function tsvDateTime64(ms: number): string {
  if (ms >= 100_000_000_000 && ms < 10_000_000_000_000) {
    const s = Math.floor(ms / 1000);
    const f = ms - s * 1000;
    return `${s}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f}`;
  }
  const iso = new Date(ms).toISOString(); // 1969-12-31T23:59:59.999Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function tsvField(table: string, c: Column): FieldWriter {
  const bad = (v: unknown, why: string): never => {
    throw new WarehouseError('ROW_INVALID', `${table}.${c.name}=${String(v)}: ${why}`);
  };
  const num = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : bad(v, 'not a finite number'));
  let write: FieldWriter;
  switch (c.kind.type) {
    case 'string': write = (v) => (typeof v === 'string' ? escapeTsv(v) : bad(v, 'not a string')); break;
    case 'int': case 'float': write = num; break;
    case 'bool': write = (v) => (v === true ? 'true' : v === false ? 'false' : bad(v, 'not a boolean')); break;
    case 'datetime64ms':
      write = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? tsvDateTime64(v) : bad(v, 'not an integer of ms')); break;
    case 'map': {
      const val: (x: unknown) => string = c.kind.value === 'string'
        ? (x) => (typeof x === 'string' ? quoteTsv(x) : bad(x, 'map value is not a string'))
        : num;
      write = (v) => {
        if (typeof v !== 'object' || v === null) return bad(v, 'not a map object');
        let out = '';
        for (const k in v) out += `${out === '' ? '' : ','}${quoteTsv(k)}:${val((v as Record<string, unknown>)[k])}`;
        return `{${out}}`; // quoteTsv left no raw tab/newline/backslash
      };
      break;
    }
    case 'array': {
      const nullable = c.kind.nullableElement;
      write = (v) => {
        if (!Array.isArray(v)) return bad(v, 'not an array');
        return `[${v.map((x: unknown) => (typeof x === 'string' ? quoteTsv(x) : x === null && nullable ? 'NULL' : bad(x, 'array element is not a string'))).join(',')}]`;
      };
      break;
    }
  }
  // JSONEachRow wrote null for NULL and left undefined out (-> the column default); the same here:
  // \N is NULL in a Nullable column and the default elsewhere (input_format_null_as_default=1).
  return (v) => (v === null || v === undefined ? '\\N' : write(v));
}
