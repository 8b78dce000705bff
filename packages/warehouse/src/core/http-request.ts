// What a ClickHouse HTTP request asks for (pure), as @clickhouse/client sends it:
//   POST /?query_id=..&database=..&param_user=..&<setting>=..   body = the SQL
//   POST /?query=INSERT INTO t FORMAT JSONEachRow&...            body = the rows
//   GET  /?query=SELECT ...                                       (read-only in ClickHouse)
//   GET  /ping                                                    -> "Ok.\n"
// param_<name> become server-side query parameters; everything else that is not a transport
// key becomes a setting (ClickHouse treats unknown URL keys as settings too).
export interface ParsedHttpRequest {
  /** SQL text from the `query` URL parameter (null when the SQL is in the body). */
  readonly urlQuery: string | null;
  readonly params: Record<string, string>;
  readonly settings: Record<string, string>;
  readonly queryId: string | null;
  readonly database: string | null;
}

// URL keys that are transport, not settings (ClickHouse's HTTP handler reserves the same).
const TRANSPORT_KEYS = new Set(['query', 'query_id', 'database', 'user', 'password', 'session_id', 'session_timeout', 'session_check', 'quota_key', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query', 'role']);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// chDB applies a request's settings as SET statements on the shared session, where they stay for
// every later query of the process (the stack's own inserts included): only settings that shape
// the output are forwarded; others (readonly=1, max_memory_usage, ...) are ignored.
const FORWARDED_SETTING = /^(?:default_format|date_time_output_format|output_format_[a-z0-9_]+|format_[a-z0-9_]+)$/;

export type ParseResult = { readonly ok: true; readonly request: ParsedHttpRequest } | { readonly ok: false; readonly problem: string };

export function parseHttpRequest(search: URLSearchParams): ParseResult {
  const params: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [k, v] of search) {
    if (k.startsWith('param_')) {
      params[k.slice('param_'.length)] = v;
    } else if (!TRANSPORT_KEYS.has(k)) {
      if (!SETTING_NAME.test(k)) return { ok: false, problem: `bad setting name ${JSON.stringify(k)}` };
      if (FORWARDED_SETTING.test(k)) settings[k] = v;
    }
  }
  return { ok: true, request: { urlQuery: search.get('query'), params, settings, queryId: search.get('query_id'), database: search.get('database') } };
}

/** ClickHouse's own error text shape, which @clickhouse/client parses into ClickHouseError(code, type). */
export function clickHouseErrorText(code: number, type: string, message: string): string {
  return `Code: ${code}. DB::Exception: ${message.replace(/\s+$/, '')}. (${type}) (version warmcast-endpoint)\n`;
}

// ClickHouse's Escaped (TSV) decoding of one field: \b \f \n \r \t \0 \a \v are control
// characters, any other \X is X (so \' is ', \\ is \).
const UNESCAPE: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v' };

export function unescapeTsv(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i] as string;
      out += UNESCAPE[next] ?? next;
    } else {
      out += c;
    }
  }
  return out;
}

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;
const COMPOSITE = /^(?:(?:Nullable|LowCardinality)\(\s*)*(?:Array|Map|Tuple|Nested)\s*\(/;

/** The declared type of each {name:Type} placeholder in the SQL. */
export function placeholderTypes(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(PLACEHOLDER)) out.set(m[1] as string, m[2] as string);
  return out;
}

export type BindResult = { readonly ok: true; readonly values: Record<string, string | null> } | { readonly ok: false; readonly problem: string };

/**
 * HTTP parameter texts (Escaped format, as @clickhouse/client and curl send them) -> values for
 * chDB's binder, which escapes strings itself. Scalars are decoded (\N -> NULL) so the engine
 * sees the same value the server would. Composite values (Array, Map, Tuple) are passed as
 * their text; one holding a backslash cannot be passed through chDB's binder unchanged, so it is
 * refused rather than bound to a different value.
 */
export function bindValues(sql: string, params: Readonly<Record<string, string>>): BindResult {
  const types = placeholderTypes(sql);
  const values: Record<string, string | null> = {};
  for (const [name, text] of Object.entries(params)) {
    const type = types.get(name) ?? 'String';
    if (COMPOSITE.test(type)) {
      if (text.includes('\\')) return { ok: false, problem: `parameter ${name} of type ${type}: escaped characters inside composite parameters are not supported by this endpoint; use a ClickHouse server` };
      values[name] = text;
    } else {
      values[name] = text === '\\N' ? null : unescapeTsv(text);
    }
  }
  return { ok: true, values };
}

/**
 * `INSERT INTO t (a, b) FORMAT RowBinary` (as httpSender and clickhouse-client send it) -> the
 * table and columns, else null. The endpoint routes such a binary body through chDB's file()
 * (src/insert-file.ts): the connection's exec would splice it into SQL text as UTF-8.
 * Plain identifiers only; anything else falls through to exec, as before.
 */
export function rowBinaryInsert(sql: string): { readonly table: string; readonly columns: readonly string[] } | null {
  const m = /^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*FORMAT\s+RowBinary\s*$/i.exec(sql);
  if (m === null) return null;
  const columns = (m[2] as string).split(',').map((c) => c.trim());
  if (columns.some((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c))) return null;
  return { table: m[1] as string, columns };
}
