// The insertable columns of each table, read from the migrations' CREATE TABLE text, so the
// insert encoders (row-encoder.ts) have one source of truth: a column added by a migration is
// encoded without anyone retyping its name or type here. Columns with a DEFAULT (inserted_at)
// are left out: the server fills them, exactly as when JSONEachRow omitted them.
// A later ALTER TABLE is refused at compile time (it would change the columns behind our back).
import { MIGRATIONS } from '../migrations/index.ts';
import type { Migration } from '../migrations/index.ts';
import type { InsertableTable } from './row-types.ts';

/** How a value is written; `nullable` says NULL is a value (else null/undefined = the column default). */
export type ColumnKind =
  | { readonly type: 'string' | 'int' | 'float' | 'bool' | 'datetime64ms' }
  | { readonly type: 'map'; readonly value: 'string' | 'float' }
  | { readonly type: 'array'; readonly element: 'string'; readonly nullableElement: boolean };

export interface Column {
  readonly name: string;
  /** The declared ClickHouse type, as in the migration. */
  readonly chType: string;
  readonly nullable: boolean;
  readonly kind: ColumnKind;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Splits `a, Map(String, String), b` at top-level commas (types nest parentheses and quote 'UTC'). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function unwrap(type: string, wrapper: string): string | null {
  const t = type.trim();
  return t.startsWith(`${wrapper}(`) && t.endsWith(')') ? t.slice(wrapper.length + 1, -1).trim() : null;
}

/** 'LowCardinality(Nullable(String))' -> { nullable: true, kind: string }; throws on a type it cannot encode. */
export function columnKind(chType: string): { nullable: boolean; kind: ColumnKind } {
  let t = unwrap(chType, 'LowCardinality') ?? chType.trim();
  const inner = unwrap(t, 'Nullable');
  const nullable = inner !== null;
  t = inner ?? t;
  if (t === 'String') return { nullable, kind: { type: 'string' } };
  if (/^U?Int(8|16|32|64)$/.test(t)) return { nullable, kind: { type: 'int' } };
  if (t === 'Float32' || t === 'Float64') return { nullable, kind: { type: 'float' } };
  if (t === 'Bool') return { nullable, kind: { type: 'bool' } };
  if (/^DateTime64\(\s*3\s*(,\s*'UTC'\s*)?\)$/.test(t)) return { nullable, kind: { type: 'datetime64ms' } };
  const map = unwrap(t, 'Map');
  if (map !== null) {
    const [k, v] = splitTopLevel(map);
    if (k === 'String' && (v === 'String' || v === 'Float64')) return { nullable, kind: { type: 'map', value: v === 'String' ? 'string' : 'float' } };
  }
  const arr = unwrap(t, 'Array');
  if (arr === 'String' || arr === 'Nullable(String)') return { nullable, kind: { type: 'array', element: 'string', nullableElement: arr !== 'String' } };
  throw new Error(`row encoder: no encoding for ClickHouse type ${chType}; add it to core/columns.ts`);
}

/** The columns of a `CREATE TABLE name (...) ENGINE` statement, minus DEFAULT columns and INDEX lines. */
export function parseCreateTable(sql: string): { table: string; columns: Column[] } | null {
  const m = /^\s*CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*) \(([\s\S]*)\)\s*ENGINE\b/.exec(sql);
  if (m === null) return null;
  const columns: Column[] = [];
  for (const def of splitTopLevel(m[2] as string)) {
    if (/^INDEX\s/i.test(def)) continue;
    if (/\sDEFAULT\s/i.test(def)) continue;
    const sp = def.indexOf(' ');
    const name = def.slice(0, sp);
    const chType = def.slice(sp + 1).trim();
    if (!IDENT.test(name)) throw new Error(`row encoder: column name ${JSON.stringify(name)} in ${m[1]} is not a plain identifier`);
    columns.push({ name, chType, ...columnKind(chType) });
  }
  return { table: m[1] as string, columns };
}

/** Column lists of every table created by the migrations (roll-up tables included; only insertable ones are asked for). */
export function tableColumns(migrations: readonly Migration[] = MIGRATIONS): ReadonlyMap<string, readonly Column[]> {
  const out = new Map<string, readonly Column[]>();
  for (const mig of migrations) {
    for (const sql of mig.statements) {
      const altered = /^\s*ALTER TABLE ([a-z_][a-z0-9_]*)/.exec(sql);
      if (altered !== null) throw new Error(`row encoder: migration ${mig.version} alters ${altered[1]}; teach core/columns.ts to apply it`);
      if (/^\s*CREATE TABLE .*AggregatingMergeTree/s.test(sql)) continue; // roll-up targets: view-written, aggregate-state types
      const t = parseCreateTable(sql);
      if (t !== null) out.set(t.table, t.columns);
    }
  }
  return out;
}

let cache: ReadonlyMap<string, readonly Column[]> | undefined;

export function insertColumns(table: InsertableTable): readonly Column[] {
  cache ??= tableColumns();
  const cols = cache.get(table);
  if (cols === undefined) throw new Error(`row encoder: no CREATE TABLE for ${table} in the migrations`);
  return cols;
}
