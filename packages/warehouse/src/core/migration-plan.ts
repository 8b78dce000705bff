// Which migrations to apply (pure). The recorded history must be a prefix of the code's list
// with the same checksums; anything else (a gap, a recorded version this code does not know,
// an edited migration) is an error, because applying on top of an unknown schema corrupts it.
export interface MigrationLike {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

export type MigrationPlan =
  | { readonly ok: true; readonly pending: readonly MigrationLike[]; readonly current: number }
  | { readonly ok: false; readonly problem: string };

/** FNV-1a 32-bit over the statements, whitespace-normalized (reformatting is not a change). */
export function checksum(m: MigrationLike): string {
  const text = m.statements.map((s) => s.replace(/\s+/g, ' ').trim()).join(';\n');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function validateMigrations(list: readonly MigrationLike[]): string | undefined {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (m === undefined || m.version !== i + 1) return `migration #${i + 1} has version ${m?.version}; versions must be 1, 2, 3, ... in order without gaps`;
    if (m.statements.length === 0) return `migration ${m.version} (${m.name}) has no statements`;
  }
  return undefined;
}

export function planMigrations(known: readonly MigrationLike[], applied: readonly AppliedMigration[]): MigrationPlan {
  const bad = validateMigrations(known);
  if (bad !== undefined) return { ok: false, problem: bad };
  const byVersion = new Map<number, AppliedMigration>();
  for (const a of applied) byVersion.set(a.version, a); // repeats (two processes migrating at once) are harmless
  const recorded = [...byVersion.values()].sort((a, b) => a.version - b.version);
  for (let i = 0; i < recorded.length; i++) {
    const r = recorded[i] as AppliedMigration;
    const k = known[r.version - 1];
    if (r.version !== i + 1) return { ok: false, problem: `schema_migrations has version ${r.version} but not ${i + 1}` };
    if (k === undefined) return { ok: false, problem: `the warehouse is at schema version ${recorded.length}, newer than this code (${known.length}); upgrade warmcast` };
    if (checksum(k) !== r.checksum) return { ok: false, problem: `migration ${r.version} (${k.name}) differs from the one applied (checksum ${r.checksum}, now ${checksum(k)}); never edit a shipped migration, add a new one` };
  }
  return { ok: true, pending: known.slice(recorded.length), current: recorded.length };
}
