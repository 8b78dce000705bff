import type { Type } from 'avsc';
import { ErrorCodes, fail, ok } from './errors.ts';
import type { Result } from './errors.ts';
import { identityText, parseAvro, parseSchemaRequest } from './schema.ts';
import type { SchemaReference } from './schema.ts';
import type { RegistryState, StoredSchema } from './state.ts';
import { identityKey } from './state.ts';

/** A request's schema, validated and parsed, ready to be compared, checked or stored. */
export interface Candidate {
  readonly schema: string;
  readonly references: readonly SchemaReference[];
  readonly key: string;
  readonly type: Type;
}

/**
 * Texts of every schema a reference list needs, dependencies first and each once
 * (depth-first over the references' own references). A reference to a subject/version
 * that does not exist (soft-deleted still counts as existing) is 42201, as in Confluent SR.
 */
export function referencedTexts(state: RegistryState, refs: readonly SchemaReference[]): Result<string[]> {
  const out: string[] = [];
  const seen = new Set<number>();
  const visit = (list: readonly SchemaReference[], depth: number): Result<null> => {
    // 32 levels is far beyond any real schema graph; it stops a (corrupt) cycle.
    if (depth > 32) return fail(ErrorCodes.INVALID_SCHEMA, 'Invalid schema: references nest deeper than 32 levels');
    for (const ref of list) {
      const v = (state.subjects.get(ref.subject) ?? []).find((x) => x.version === ref.version);
      const stored = v === undefined ? undefined : state.schemas.get(v.id);
      if (stored === undefined) {
        return fail(
          ErrorCodes.INVALID_SCHEMA,
          `Invalid schema: reference '${ref.name}' points to subject '${ref.subject}' version ${ref.version}, which does not exist`,
        );
      }
      if (seen.has(stored.id)) continue;
      seen.add(stored.id);
      const inner = visit(stored.references, depth + 1);
      if (!inner.ok) return inner;
      out.push(stored.schema);
    }
    return ok(null);
  };
  const r = visit(refs, 0);
  return r.ok ? ok(out) : r;
}

export function prepareCandidate(state: RegistryState, body: unknown, normalize: boolean): Result<Candidate> {
  const req = parseSchemaRequest(body);
  if (!req.ok) return req;
  const deps = referencedTexts(state, req.value.references);
  if (!deps.ok) return deps;
  const type = parseAvro(req.value.schema, deps.value);
  if (!type.ok) return type;
  const schema = identityText(req.value.schema, type.value, normalize, req.value.references.length > 0);
  return ok({ schema, references: req.value.references, key: identityKey(schema, req.value.references), type: type.value });
}

/** Parses a stored schema (it parsed when registered, so failure means a corrupt store). */
export function typeOfStored(state: RegistryState, stored: StoredSchema): Result<Type> {
  const deps = referencedTexts(state, stored.references);
  if (!deps.ok) return fail(ErrorCodes.STORE_ERROR, `Stored schema ${stored.id}: ${deps.error.message}`, deps.error);
  const t = parseAvro(stored.schema, deps.value);
  return t.ok ? t : fail(ErrorCodes.STORE_ERROR, `Stored schema ${stored.id} no longer parses: ${t.error.message}`, t.error);
}

/** `latest` and -1 mean the newest version; otherwise 1..2^31-1, else 42202. */
export type VersionSpec = { kind: 'latest' } | { kind: 'number'; version: number };

export function parseVersionSpec(raw: string): Result<VersionSpec> {
  if (raw === 'latest' || raw === '-1') return ok({ kind: 'latest' });
  if (/^[0-9]{1,10}$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= 2 ** 31 - 1) return ok({ kind: 'number', version: n });
  }
  return fail(
    ErrorCodes.INVALID_VERSION,
    `The specified version '${raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );
}
