// Query results as text for `warmcast sql` (pure): an aligned table, CSV (RFC 4180) or JSON.
// Input is ClickHouse's JSONCompact shape (column names and types + rows as arrays), which keeps
// column order even for names a JS object would reorder (e.g. "1").
export interface CompactResult {
  readonly meta: readonly { readonly name: string; readonly type: string }[];
  readonly data: readonly (readonly unknown[])[];
}

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

const NUMERIC = /^(?:Nullable\()?(?:U?Int\d+|Float\d+|Decimal)/;

export function formatResult(r: CompactResult, format: OutputFormat): string {
  const names = r.meta.map((m) => m.name);
  if (format === 'json') {
    return `${JSON.stringify(r.data.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null]))), null, 2)}\n`;
  }
  if (format === 'csv') {
    const esc = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const line = (cells: readonly string[]): string => cells.map(esc).join(',');
    // CSV leaves NULL as an empty field, as ClickHouse's CSV output does with \N off.
    return [line(names), ...r.data.map((row) => line(names.map((_, i) => (row[i] === null ? '' : cell(row[i])))))].map((l) => `${l}\r\n`).join('');
  }
  // table: one line per row; newlines and tabs inside a cell are shown escaped so rows stay aligned.
  const shown = r.data.map((row) => names.map((_, i) => cell(row[i]).replace(/\n/g, '\\n').replace(/\t/g, '\\t')));
  const widths = names.map((n, i) => Math.max(n.length, ...shown.map((row) => (row[i] as string).length)));
  const right = r.meta.map((m) => NUMERIC.test(m.type));
  const pad = (s: string, i: number): string => (right[i] ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number));
  const lines = [
    names.map(pad).join(' | ').trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...shown.map((row) => row.map(pad).join(' | ').trimEnd()),
    `(${r.data.length} row${r.data.length === 1 ? '' : 's'})`,
  ];
  return `${lines.join('\n')}\n`;
}

export type ParamParse = { readonly ok: true; readonly name: string; readonly value: string } | { readonly ok: false; readonly problem: string };

/** `--param name=value` -> a server-side parameter for {name:Type} (the value is passed as text). */
export function parseParam(arg: string): ParamParse {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, problem: `--param ${JSON.stringify(arg)} must be name=value with a name of [A-Za-z0-9_] not starting with a digit` };
  return { ok: true, name, value: arg.slice(eq + 1) };
}

/** True when the statement returns rows (run as a query), false for DDL/INSERT (run as a command). */
export function returnsRows(sql: string): boolean {
  const first = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*\(?\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
  return first !== undefined && ['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXISTS', 'EXPLAIN', 'VALUES'].includes(first);
}
