import type { Type } from 'avsc';
import { parseVersionSpec, prepareCandidate, typeOfStored } from './candidate.ts';
import { compatibilityProblems } from './compatibility.ts';
import { ErrorCodes, fail, ok } from './errors.ts';
import type { Result } from './errors.ts';
import type { RegistryState, StoredSchema, SubjectVersion } from './state.ts';
import { effectiveCompatibility, versionsOf } from './state.ts';

/** Confluent's schema shape: schemaType only when not AVRO (never, here); references when any. */
function schemaBody(s: StoredSchema): Record<string, unknown> {
  return s.references.length > 0 ? { schema: s.schema, references: s.references } : { schema: s.schema };
}

function versionBody(state: RegistryState, subject: string, v: SubjectVersion): Result<Record<string, unknown>> {
  const s = state.schemas.get(v.id);
  if (!s) return fail(ErrorCodes.STORE_ERROR, `Schema ${v.id} of subject '${subject}' is missing from the store`);
  return ok({ subject, version: v.version, id: v.id, ...schemaBody(s) });
}

/** Resolves `latest`/-1/N in a subject: 40401 when the subject has no visible version, 40402 when N is not there. */
export function findVersion(state: RegistryState, subject: string, rawVersion: string, deleted: boolean): Result<SubjectVersion> {
  const spec = parseVersionSpec(rawVersion);
  if (!spec.ok) return spec;
  const visible = versionsOf(state, subject, deleted);
  if (visible.length === 0) return fail(ErrorCodes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  const v = spec.value.kind === 'latest' ? visible[visible.length - 1] : visible.find((x) => x.version === (spec.value as { version: number }).version);
  return v ? ok(v) : fail(ErrorCodes.VERSION_NOT_FOUND, `Version ${rawVersion} not found.`);
}

export function getVersion(state: RegistryState, subject: string, rawVersion: string, deleted: boolean): Result<Record<string, unknown>> {
  const v = findVersion(state, subject, rawVersion, deleted);
  return v.ok ? versionBody(state, subject, v.value) : v;
}

export function listSubjects(state: RegistryState, deleted: boolean): string[] {
  return [...state.subjects.keys()].filter((s) => versionsOf(state, s, deleted).length > 0).sort();
}

export function listVersions(state: RegistryState, subject: string, deleted: boolean): Result<number[]> {
  const vs = versionsOf(state, subject, deleted);
  return vs.length > 0 ? ok(vs.map((v) => v.version)) : fail(ErrorCodes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
}

export function getSchemaById(state: RegistryState, id: number): Result<Record<string, unknown>> {
  const s = state.schemas.get(id);
  return s ? ok(schemaBody(s)) : fail(ErrorCodes.SCHEMA_NOT_FOUND, `Schema ${id} not found`);
}

/** GET /schemas/ids/{id}/versions: every (subject, version) using the id. */
export function getIdVersions(state: RegistryState, id: number, deleted: boolean): Result<{ subject: string; version: number }[]> {
  if (!state.schemas.has(id)) return fail(ErrorCodes.SCHEMA_NOT_FOUND, `Schema ${id} not found`);
  const out: { subject: string; version: number }[] = [];
  for (const subject of [...state.subjects.keys()].sort()) {
    for (const v of versionsOf(state, subject, deleted)) if (v.id === id) out.push({ subject, version: v.version });
  }
  return ok(out);
}

/** GET /subjects/{s}/versions/{v}/referencedby: ids of schemas whose references name this version. */
export function referencedBy(state: RegistryState, subject: string, rawVersion: string): Result<number[]> {
  const v = findVersion(state, subject, rawVersion, false);
  if (!v.ok) return v;
  const version = v.value.version;
  return ok([...state.schemas.values()].filter((s) => s.references.some((r) => r.subject === subject && r.version === version)).map((s) => s.id));
}

/**
 * POST /subjects/{subject}: which version of the subject holds this schema. 40401 when the
 * subject has no visible version, 40403 when none matches. Soft-deleted versions match only
 * with `deleted`.
 */
export function lookupSchema(state: RegistryState, subject: string, body: unknown, normalize: boolean, deleted: boolean): Result<Record<string, unknown>> {
  const visible = versionsOf(state, subject, deleted);
  if (visible.length === 0) return fail(ErrorCodes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  const c = prepareCandidate(state, body, normalize);
  if (!c.ok) return c;
  const id = state.idByKey.get(c.value.key);
  const match = id === undefined ? undefined : [...visible].reverse().find((v) => v.id === id);
  return match ? versionBody(state, subject, match) : fail(ErrorCodes.SCHEMA_NOT_FOUND, 'Schema not found');
}

/**
 * POST /compatibility/subjects/{s}/versions/{v}: the candidate against that one version, or
 * (`v` omitted) against every live version as the subject's level demands. `latest` on a
 * subject with no versions is compatible (nothing to break), as in Confluent SR.
 */
export function testCompatibility(
  state: RegistryState,
  subject: string,
  rawVersion: string | undefined,
  body: unknown,
  normalize: boolean,
): Result<{ is_compatible: boolean; messages: string[] }> {
  const c = prepareCandidate(state, body, normalize);
  const live = versionsOf(state, subject, false);
  let targets: SubjectVersion[];
  if (rawVersion === undefined) {
    targets = live;
  } else {
    const spec = parseVersionSpec(rawVersion);
    if (!spec.ok) return spec;
    if (spec.value.kind === 'latest' && live.length === 0) return c.ok ? ok({ is_compatible: true, messages: [] }) : c;
    const v = findVersion(state, subject, rawVersion, false);
    if (!v.ok) return v;
    targets = [v.value];
  }
  if (!c.ok) return c;
  const existing: { version: number; type: Type }[] = [];
  for (const v of targets) {
    const stored = state.schemas.get(v.id);
    if (!stored) return fail(ErrorCodes.STORE_ERROR, `Schema ${v.id} of subject '${subject}' is missing from the store`);
    const t = typeOfStored(state, stored);
    if (!t.ok) return t;
    existing.push({ version: v.version, type: t.value });
  }
  const problems = compatibilityProblems(effectiveCompatibility(state, subject), c.value.type, existing);
  return ok({ is_compatible: problems.length === 0, messages: problems });
}

/** GET /config/{subject}: 40408 without a subject level unless `defaultToGlobal`. */
export function getCompatibility(state: RegistryState, subject: string | null, defaultToGlobal: boolean): Result<{ compatibilityLevel: string }> {
  if (subject === null) return ok({ compatibilityLevel: state.globalCompatibility });
  const level = state.subjectCompatibility.get(subject) ?? (defaultToGlobal ? state.globalCompatibility : undefined);
  return level !== undefined
    ? ok({ compatibilityLevel: level })
    : fail(ErrorCodes.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level compatibility configured`);
}
