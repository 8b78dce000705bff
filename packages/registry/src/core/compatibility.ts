import type { Type } from 'avsc';
import { ErrorCodes, fail, ok } from './errors.ts';
import type { Result } from './errors.ts';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export function parseCompatibilityLevel(value: unknown): Result<CompatibilityLevel> {
  const level = typeof value === 'string' ? value.toUpperCase() : value;
  if (typeof level === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(level)) {
    return ok(level as CompatibilityLevel);
  }
  return fail(
    ErrorCodes.INVALID_COMPATIBILITY_LEVEL,
    `Invalid compatibility level ${JSON.stringify(value)}; allowed: ${COMPATIBILITY_LEVELS.join(', ')}`,
  );
}

/**
 * Whether data written with `writer` can be read with `reader` (Avro schema resolution).
 * avsc's resolver is the checker: it throws exactly when resolution is impossible, and the
 * captured table in CLIENT_NOTES §7.4 (enum default, aliases, promotions, unions) matches it.
 * It is also what the Avro deserializer uses at read time, so a passing check means the
 * client really can decode. Returns null when readable, else the reason.
 */
export function readProblem(reader: Type, writer: Type): string | null {
  try {
    reader.createResolver(writer);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Checks a candidate schema against the existing versions of a subject, oldest first, as
 * `level` demands. Non-transitive levels look at the newest existing version only.
 * BACKWARD: the candidate reads data written with the old schema; FORWARD: the old schema
 * reads data written with the candidate; FULL: both. Returns the list of problems (empty
 * when compatible); each names the version it failed against.
 */
export function compatibilityProblems(
  level: CompatibilityLevel,
  candidate: Type,
  existing: ReadonlyArray<{ readonly version: number; readonly type: Type }>,
): string[] {
  if (level === 'NONE' || existing.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? existing : existing.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  for (const old of against) {
    if (backward) {
      const p = readProblem(candidate, old.type);
      if (p !== null) problems.push(`${level}: new schema cannot read data written with version ${old.version}: ${p}`);
    }
    if (forward) {
      const p = readProblem(old.type, candidate);
      if (p !== null) problems.push(`${level}: version ${old.version} cannot read data written with the new schema: ${p}`);
    }
  }
  return problems;
}
