// The insert path (shell): rows -> one encoded body (core/row-encoder.ts, compiled once per
// table and format) -> in chDB mode, RowBinary through a temp file and file() (insert-file.ts),
// text formats through chDB's raw insert (the Buffer goes to the native side zero-copy and
// ClickHouse's parallel parser reads it; no INSERT text is built or parsed around the rows);
// or, in HTTP mode, the same bytes as the body of `INSERT INTO t (cols) FORMAT x` through
// @clickhouse/client's exec. Both modes share the encoder, so what is stored is the same.
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';
import { insertColumns } from './core/columns.ts';
import { compileEncoder } from './core/row-encoder.ts';
import type { InsertFormat, RowEncoder } from './core/row-encoder.ts';
import type { BinaryRowEncoder } from './core/rowbinary.ts';
import type { InsertableTable } from './core/row-types.ts';
import { toWarehouseError } from './errors.ts';
import { binaryInsertDir, insertRowBinaryViaFile, sweepStaleInsertFiles } from './insert-file.ts';

/**
 * The default format per mode, picked by `npm run bench:warehouse` (figures in README.md). chDB:
 * RowBinary through file() cost 13.4 CPU us/row on the production path (raw_requests +
 * raw_metrics with their roll-up views) against 17.1 for JSONCompactEachRow + raw insert and
 * 32.5 for the old client path (run 1; run 2 in README), and the Null-engine floor halves: no
 * text to build or parse. HTTP: JSONCompactEachRow stays, since RowBinary over HTTP is tested
 * for equality (through our endpoint) but not measured against a real server, and our endpoint
 * pays one system.columns query per binary insert. JSONCompactEachRow beat TabSeparated on a
 * tie: its values are JSON.stringify's, exactly what the old JSONEachRow path sent.
 */
export const DEFAULT_INSERT_FORMATS: Readonly<Record<'chdb' | 'http', InsertFormat>> = { chdb: 'RowBinary', http: 'JSONCompactEachRow' };
/** chDB's default (the bench and encodeInsert's default argument). */
export const DEFAULT_INSERT_FORMAT: InsertFormat = DEFAULT_INSERT_FORMATS.chdb;

export interface EncodedInsert {
  /** Where the rows go: the table, or (tests, bench) a copy with the same columns. */
  readonly table: string;
  readonly format: InsertFormat;
  readonly columns: readonly string[];
  /** `name Type, ...` of the columns (RowBinary through chDB's file() needs it). */
  readonly structure: string;
  readonly body: Buffer;
  readonly rows: number;
}

export type InsertSender = (batch: EncodedInsert) => Promise<void>;

const encoders = new Map<string, RowEncoder | BinaryRowEncoder>();
const structures = new Map<string, string>();

/** The table's encoder for `format`, compiled on first use. */
export function encoderFor(table: InsertableTable, format: InsertFormat): RowEncoder | BinaryRowEncoder {
  const key = `${table}\u0000${format}`;
  let enc = encoders.get(key);
  if (enc === undefined) {
    enc = compileEncoder(table, insertColumns(table), format);
    encoders.set(key, enc);
  }
  return enc;
}

function structureOf(table: InsertableTable): string {
  let s = structures.get(table);
  if (s === undefined) {
    s = insertColumns(table).map((c) => `${c.name} ${c.chType}`).join(', ');
    structures.set(table, s);
  }
  return s;
}

export function encodeInsert(table: InsertableTable, rows: readonly object[], format: InsertFormat = DEFAULT_INSERT_FORMAT, into: string = table): EncodedInsert {
  // `into` is written into the INSERT text in HTTP mode (chDB checks identifiers itself).
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(into)) throw new TypeError(`insert target ${JSON.stringify(into)} is not a plain table name`);
  const enc = encoderFor(table, format);
  const encoded = enc.encode(rows);
  const body = typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
  return { table: into, format, columns: enc.columns, structure: structureOf(table), body, rows: rows.length };
}

/** chDB: Session.insert's raw form. Its errors are ChdbError with the ClickHouse code as clickhouseCode. */
export function chdbSender(connection: ChdbConnection): InsertSender {
  const dir = binaryInsertDir();
  sweepStaleInsertFiles(dir);
  const run = (query: string, params: Readonly<Record<string, string>>): Promise<unknown> => connection.command({ query, query_params: { ...params } });
  return async (b) => {
    try {
      if (b.format === 'RowBinary') await insertRowBinaryViaFile(run, b, dir);
      else await connection.chdb.rawInsert({ table: b.table, format: b.format, columns: b.columns, values: b.body });
    } catch (err) {
      throw toWarehouseError(err, `insert ${b.rows} rows into ${b.table}`);
    }
  };
}

/** A ClickHouse server (or a stack's endpoint): the body after the statement in the URL, as clickhouse-client sends it. */
export function httpSender(client: ClickHouseClient): InsertSender {
  return async (b) => {
    try {
      const r = await client.exec({ query: `INSERT INTO ${b.table} (${b.columns.join(', ')}) FORMAT ${b.format}`, values: Readable.from([b.body]) });
      r.stream.resume(); // an INSERT answers with an empty body; drain it so the socket is reused
      await new Promise<void>((resolve, reject) => { r.stream.once('end', resolve).once('close', resolve).once('error', reject); });
    } catch (err) {
      throw toWarehouseError(err, `insert ${b.rows} rows into ${b.table}`);
    }
  };
}
