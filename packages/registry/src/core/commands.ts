import { prepareCandidate, parseVersionSpec, typeOfStored } from './candidate.ts';
import { compatibilityProblems, parseCompatibilityLevel } from './compatibility.ts';
import type { CompatibilityLevel } from './compatibility.ts';
import { ErrorCodes, fail, ok } from './errors.ts';
import type { Result } from './errors.ts';
import type { RegistryEvent } from './events.ts';
import type { RegistryState } from './state.ts';
import { effectiveCompatibility, versionsOf } from './state.ts';
import type { Type } from 'avsc';

/** What a state-changing request decided: the reply body and the events to make durable. */
export interface Decision {
  readonly reply: unknown;
  readonly events: readonly RegistryEvent[];
}

const subjectNotFound = <T>(subject: string): Result<T> =>
  fail(ErrorCodes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);

/**
 * 42206 when a registered schema still references subject/version: deleting it would leave
 * that schema unparseable. Soft deletes only count live referrers (a soft-deleted referrer
 * can still be read with ?deleted=true, so it also blocks the permanent delete).
 */
function referenceBlock(state: RegistryState, subject: string, versions: readonly number[], permanent: boolean): Result<null> {
  const referrers = new Set<number>();
  for (const s of state.schemas.values()) {
    if (s.references.some((r) => r.subject === subject && versions.includes(r.version))) referrers.add(s.id);
  }
  if (referrers.size === 0) return ok(null);
  for (const [other, vs] of state.subjects) {
    for (const v of vs) {
      if (referrers.has(v.id) && (permanent || !v.deleted)) {
        return fail(
          ErrorCodes.REFERENCE_EXISTS,
          `One or more references exist to the schema {subject=${subject}, versions=${versions.join(',')}}: version ${v.version} of subject '${other}' (id ${v.id}) uses it`,
        );
      }
    }
  }
  return ok(null);
}

/**
 * POST /subjects/{subject}/versions.
 * Same schema already live in the subject -> its id and version, no events. Otherwise the
 * candidate must pass the subject's compatibility level against the live versions (else
 * 409), and gets the schema's existing global id or the next one, and version
 * 1 + the highest stored version (soft-deleted ones count, so a version number is never
 * handed out twice while it is still on disk).
 */
export function decideRegister(state: RegistryState, subject: string, body: unknown, normalize: boolean, now: number): Result<Decision> {
  if (subject === '' || [...subject].some((ch) => ch.charCodeAt(0) < 0x20)) {
    return fail(ErrorCodes.INVALID_SUBJECT, `Invalid subject ${JSON.stringify(subject)}: empty or has control characters`);
  }
  const c = prepareCandidate(state, body, normalize);
  if (!c.ok) return c;
  const cand = c.value;
  const existingId = state.idByKey.get(cand.key);
  const live = versionsOf(state, subject, false);
  if (existingId !== undefined) {
    const same = [...live].reverse().find((v) => v.id === existingId);
    if (same) return ok({ reply: { id: existingId, version: same.version, schema: cand.schema }, events: [] });
  }
  const level = effectiveCompatibility(state, subject);
  if (level !== 'NONE' && live.length > 0) {
    const existing: { version: number; type: Type }[] = [];
    for (const v of live) {
      const stored = state.schemas.get(v.id);
      if (!stored) return fail(ErrorCodes.STORE_ERROR, `Schema ${v.id} of subject '${subject}' is missing from the store`);
      const t = typeOfStored(state, stored);
      if (!t.ok) return t;
      existing.push({ version: v.version, type: t.value });
    }
    const problems = compatibilityProblems(level, cand.type, existing);
    if (problems.length > 0) {
      return fail(ErrorCodes.INCOMPATIBLE_SCHEMA, `Schema being registered is incompatible with an earlier schema for subject '${subject}': ${problems.join('; ')}`);
    }
  }
  const events: RegistryEvent[] = [];
  const id = existingId ?? state.nextId;
  if (existingId === undefined) events.push({ type: 'schema-created', id, schema: cand.schema, references: cand.references, at: now });
  const all = versionsOf(state, subject, true);
  const version = (all[all.length - 1]?.version ?? 0) + 1;
  events.push({ type: 'version-registered', subject, version, id, at: now });
  return ok({ reply: { id, version, schema: cand.schema }, events });
}

/**
 * DELETE /subjects/{subject}[?permanent=true]. Soft: hides every live version (40404 if all
 * are already soft-deleted). Permanent: only after a soft delete (40405 otherwise); removes
 * the versions and the subject's compatibility setting. Replies with the versions deleted.
 */
export function decideDeleteSubject(state: RegistryState, subject: string, permanent: boolean, now: number): Result<Decision> {
  const all = versionsOf(state, subject, true);
  if (all.length === 0) return subjectNotFound(subject);
  const live = all.filter((v) => !v.deleted);
  if (!permanent) {
    if (live.length === 0) {
      return fail(ErrorCodes.SUBJECT_SOFT_DELETED, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
    }
    const blocked = referenceBlock(state, subject, live.map((v) => v.version), false);
    if (!blocked.ok) return blocked;
    return ok({
      reply: live.map((v) => v.version),
      events: live.map((v) => ({ type: 'version-soft-deleted', subject, version: v.version, at: now }) as const),
    });
  }
  if (live.length > 0) {
    return fail(ErrorCodes.SUBJECT_NOT_SOFT_DELETED, `Subject '${subject}' was not deleted first before being permanently deleted`);
  }
  const blocked = referenceBlock(state, subject, all.map((v) => v.version), true);
  if (!blocked.ok) return blocked;
  const events: RegistryEvent[] = all.map((v) => ({ type: 'version-hard-deleted', subject, version: v.version, at: now }) as const);
  if (state.subjectCompatibility.has(subject)) events.push({ type: 'compatibility-cleared', subject, at: now });
  return ok({ reply: all.map((v) => v.version), events });
}

/**
 * DELETE /subjects/{subject}/versions/{version}[?permanent=true]. Soft delete of a live
 * version, or permanent delete of a soft-deleted one (40407 otherwise). Replies the version.
 */
export function decideDeleteVersion(state: RegistryState, subject: string, rawVersion: string, permanent: boolean, now: number): Result<Decision> {
  const spec = parseVersionSpec(rawVersion);
  if (!spec.ok) return spec;
  const all = versionsOf(state, subject, true);
  if (all.length === 0 || (!permanent && all.every((v) => v.deleted))) return subjectNotFound(subject);
  const pool = permanent ? all : all.filter((v) => !v.deleted);
  const target = spec.value.kind === 'latest' ? pool[pool.length - 1] : all.find((v) => v.version === (spec.value as { version: number }).version);
  if (!target) return fail(ErrorCodes.VERSION_NOT_FOUND, `Version ${rawVersion} not found.`);
  if (!permanent && target.deleted) {
    return fail(ErrorCodes.VERSION_SOFT_DELETED, `Version ${target.version} of subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
  }
  if (permanent && !target.deleted) {
    return fail(ErrorCodes.VERSION_NOT_SOFT_DELETED, `Version ${target.version} of subject '${subject}' was not deleted first before being permanently deleted`);
  }
  const blocked = referenceBlock(state, subject, [target.version], permanent);
  if (!blocked.ok) return blocked;
  const type = permanent ? ('version-hard-deleted' as const) : ('version-soft-deleted' as const);
  return ok({ reply: target.version, events: [{ type, subject, version: target.version, at: now }] });
}

/** PUT /config[/{subject}] with `{"compatibility": LEVEL}`; echoes `{"compatibility": LEVEL}`. */
export function decideSetCompatibility(state: RegistryState, subject: string | null, body: unknown, now: number): Result<Decision> {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['compatibility'] ?? (body as Record<string, unknown>)['compatibilityLevel'] : undefined;
  const level = parseCompatibilityLevel(raw);
  if (!level.ok) return level;
  return ok({ reply: { compatibility: level.value }, events: [{ type: 'compatibility-set', subject, level: level.value, at: now }] });
}

/** DELETE /config/{subject}: back to the global level; replies the level that was set. */
export function decideClearCompatibility(state: RegistryState, subject: string, now: number): Result<Decision> {
  const current: CompatibilityLevel | undefined = state.subjectCompatibility.get(subject);
  if (current === undefined) {
    return fail(ErrorCodes.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level compatibility configured`);
  }
  return ok({ reply: { compatibilityLevel: current }, events: [{ type: 'compatibility-cleared', subject, at: now }] });
}
