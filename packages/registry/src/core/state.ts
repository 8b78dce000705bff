import type { CompatibilityLevel } from './compatibility.ts';
import { DEFAULT_COMPATIBILITY } from './compatibility.ts';
import type { RegistryEvent } from './events.ts';
import type { SchemaReference } from './schema.ts';

export interface StoredSchema {
  readonly id: number;
  /** Identity text (compact JSON), also what GET returns. */
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

export interface SubjectVersion {
  readonly version: number;
  readonly id: number;
  readonly deleted: boolean;
}

/**
 * The whole registry. Mutated ONLY by `applyEvent`, and only by the shell after the events
 * are durable; deciders read it and return events.
 */
export interface RegistryState {
  readonly schemas: Map<number, StoredSchema>;
  /** identityKey(schema, references) -> id, for "same schema text gets the same id". */
  readonly idByKey: Map<string, number>;
  /** subject -> versions ascending; soft-deleted kept (flagged), hard-deleted removed. */
  readonly subjects: Map<string, SubjectVersion[]>;
  readonly subjectCompatibility: Map<string, CompatibilityLevel>;
  globalCompatibility: CompatibilityLevel;
  /** Next global id: 1 + the highest id ever created (ids start at 1, as in Confluent SR). */
  nextId: number;
}

export function emptyState(): RegistryState {
  return {
    schemas: new Map(),
    idByKey: new Map(),
    subjects: new Map(),
    subjectCompatibility: new Map(),
    globalCompatibility: DEFAULT_COMPATIBILITY,
    nextId: 1,
  };
}

export function identityKey(schema: string, references: readonly SchemaReference[]): string {
  return references.length === 0 ? schema : `${schema}\u0000${JSON.stringify(references)}`;
}

export function applyEvent(state: RegistryState, e: RegistryEvent): void {
  switch (e.type) {
    case 'schema-created':
      state.schemas.set(e.id, { id: e.id, schema: e.schema, references: e.references });
      state.idByKey.set(identityKey(e.schema, e.references), e.id);
      state.nextId = Math.max(state.nextId, e.id + 1);
      return;
    case 'version-registered': {
      const versions = state.subjects.get(e.subject) ?? [];
      versions.push({ version: e.version, id: e.id, deleted: false });
      versions.sort((a, b) => a.version - b.version);
      state.subjects.set(e.subject, versions);
      return;
    }
    case 'version-soft-deleted': {
      const versions = state.subjects.get(e.subject) ?? [];
      const i = versions.findIndex((v) => v.version === e.version);
      const v = versions[i];
      if (v) versions[i] = { ...v, deleted: true };
      return;
    }
    case 'version-hard-deleted': {
      const versions = (state.subjects.get(e.subject) ?? []).filter((v) => v.version !== e.version);
      if (versions.length === 0) state.subjects.delete(e.subject);
      else state.subjects.set(e.subject, versions);
      return;
    }
    case 'compatibility-set':
      if (e.subject === null) state.globalCompatibility = e.level;
      else state.subjectCompatibility.set(e.subject, e.level);
      return;
    case 'compatibility-cleared':
      state.subjectCompatibility.delete(e.subject);
      return;
  }
}

/** Versions of a subject, soft-deleted ones only when asked. Empty when unknown. */
export function versionsOf(state: RegistryState, subject: string, includeDeleted: boolean): SubjectVersion[] {
  const all = state.subjects.get(subject) ?? [];
  return includeDeleted ? all : all.filter((v) => !v.deleted);
}

export function effectiveCompatibility(state: RegistryState, subject: string): CompatibilityLevel {
  return state.subjectCompatibility.get(subject) ?? state.globalCompatibility;
}
