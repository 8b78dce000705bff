/**
 * `warmcast sql "SELECT ..." [--data DIR] [--format table|json|csv] [--param name=value ...]`:
 * ad-hoc queries on the warehouse of a data directory (DIR/warehouse, chDB). While a running
 * stack holds that directory (chDB: one process per directory), the query goes to the stack's
 * ClickHouse HTTP endpoint recorded in DIR/warehouse/endpoint.json; with CLICKHOUSE_URL set it
 * goes to that server. Values come in through --param as server-side parameters
 * ({name:Type} in the SQL), never spliced into the SQL text.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { OUTPUT_FORMATS, formatResult, isWarehouseError, openDataDirWarehouse, parseParam, returnsRows, toWarehouseError } from '@warmcast/warehouse';
import type { CompactResult, OutputFormat } from '@warmcast/warehouse';

interface SqlFlags {
  data: string;
  format: OutputFormat;
  param?: Record<string, string>;
}

function format(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`${JSON.stringify(value)} must be one of ${OUTPUT_FORMATS.join(', ')}`);
  return value as OutputFormat;
}

function param(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const p = parseParam(value);
  if (!p.ok) throw new InvalidArgumentError(p.problem);
  return { ...previous, [p.name]: p.value };
}

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('run SQL on the warehouse (chDB in DIR/warehouse, a running stack\'s endpoint, or CLICKHOUSE_URL)')
    .argument('<query>', 'SQL; use {name:Type} placeholders with --param name=value for values')
    .option('--data <dir>', 'the stack\'s data directory (the warehouse is DIR/warehouse)', './data')
    .option('--format <format>', 'table | json | csv', format, 'table' as OutputFormat)
    .option('--param <name=value>', 'server-side query parameter (repeatable)', param)
    .action(async (query: string, flags: SqlFlags) => {
      try {
        process.stdout.write(await runSql(query, flags));
      } catch (err) {
        if (!isWarehouseError(err)) throw err;
        // One line, no stack: a bad query, a locked directory or a config problem is the user's to fix.
        process.stderr.write(`warmcast sql: ${err.code}: ${err.message}\n`);
        process.exitCode = err.retriable ? 1 : 2;
      }
    });
}

async function runSql(query: string, flags: SqlFlags): Promise<string> {
  const { warehouse } = await openDataDirWarehouse({ dataDir: flags.data });
  try {
    if (!returnsRows(query)) {
      await warehouse.command(query, flags.param ?? {});
      return '';
    }
    // JSONCompact keeps column order and types (for alignment) whatever the column names.
    try {
      const rs = await warehouse.client.query({ query, query_params: flags.param ?? {}, format: 'JSONCompact' });
      return formatResult(await rs.json<unknown>() as CompactResult, flags.format);
    } catch (err) {
      throw toWarehouseError(err, 'query');
    }
  } finally {
    await warehouse.close();
  }
}
