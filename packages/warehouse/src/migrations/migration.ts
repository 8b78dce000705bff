// A numbered migration: statements run in order, each idempotent (IF NOT EXISTS), so a crash
// half-way re-runs cleanly on the next open. Never edit a migration that has shipped: its
// checksum is recorded and a changed one fails the open (MIGRATION_FAILED); add a new file.
export interface Migration {
  /** 1, 2, 3, ... without gaps; the file is named NNNN-<name>.ts. */
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every table keeps its rows this long after insertion (wall clock, see TTL_COLUMN). */
export const INSERTED_AT = 'inserted_at DateTime(\'UTC\') DEFAULT now()';
