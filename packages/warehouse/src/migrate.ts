// Applies pending migrations (shell around core/migration-plan.ts) and records each in
// schema_migrations after all its statements ran. Idempotent: re-opening applies nothing.
import type { Logger } from '@warmcast/kit';
import { WarehouseError } from './errors.ts';
import { Tables } from './core/tables.ts';
import { checksum, planMigrations } from './core/migration-plan.ts';
import type { AppliedMigration, MigrationLike } from './core/migration-plan.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Warehouse } from './warehouse.ts';

export interface MigrationReport {
  /** Versions applied by this call, ascending. */
  readonly applied: readonly number[];
  /** Schema version after this call. */
  readonly current: number;
}

type Runner = Pick<Warehouse, 'query' | 'command'>;

export async function applyMigrations(wh: Runner, log?: Logger, migrations: readonly MigrationLike[] = MIGRATIONS): Promise<MigrationReport> {
  await wh.command(`CREATE TABLE IF NOT EXISTS ${Tables.schemaMigrations} (
    version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
  ) ENGINE = ReplacingMergeTree ORDER BY version`);
  const applied = await wh.query<AppliedMigration>(`SELECT version, name, checksum FROM ${Tables.schemaMigrations} FINAL ORDER BY version`);
  const plan = planMigrations(migrations, applied);
  if (!plan.ok) throw new WarehouseError('MIGRATION_FAILED', plan.problem);
  const done: number[] = [];
  for (const m of plan.pending) {
    for (const [i, sql] of m.statements.entries()) {
      try {
        await wh.command(sql);
      } catch (err) {
        throw new WarehouseError('MIGRATION_FAILED', `migration ${m.version} (${m.name}) statement ${i + 1} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    await wh.command(`INSERT INTO ${Tables.schemaMigrations} (version, name, checksum) VALUES ({version:UInt32}, {name:String}, {checksum:String})`,
      { version: m.version, name: m.name, checksum: checksum(m) });
    log?.info({ version: m.version, name: m.name }, 'migration applied');
    done.push(m.version);
  }
  return { applied: done, current: plan.current + done.length };
}
