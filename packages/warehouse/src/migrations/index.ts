// Every migration, in order. To add one: write NNNN-<name>.ts exporting a Migration with the
// next version, and append it here (core/migration-plan.ts refuses gaps and reordering).
import type { Migration } from './migration.ts';
import { migration0001 } from './0001-raw-events.ts';
import { migration0002 } from './0002-forecasts.ts';
import { migration0003 } from './0003-operations.ts';
import { migration0004 } from './0004-rollups.ts';

export type { Migration } from './migration.ts';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004];
