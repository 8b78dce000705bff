import type { CompatibilityLevel } from './compatibility.ts';
import type { SchemaReference } from './schema.ts';

/**
 * Every state change, as the journal stores it. One command yields a list of events that is
 * written as ONE journal line, so a subject delete (one event per version) is atomic across
 * a crash. `at` is the command's clock reading in ms since the epoch (informational only:
 * replay never looks at it).
 */
export type RegistryEvent =
  | {
      /** A new global id: the id is never reused, even after every version using it is gone. */
      readonly type: 'schema-created';
      readonly id: number;
      readonly schema: string;
      readonly references: readonly SchemaReference[];
      readonly at: number;
    }
  | { readonly type: 'version-registered'; readonly subject: string; readonly version: number; readonly id: number; readonly at: number }
  | { readonly type: 'version-soft-deleted'; readonly subject: string; readonly version: number; readonly at: number }
  | { readonly type: 'version-hard-deleted'; readonly subject: string; readonly version: number; readonly at: number }
  /** subject null = the global level. */
  | { readonly type: 'compatibility-set'; readonly subject: string | null; readonly level: CompatibilityLevel; readonly at: number }
  | { readonly type: 'compatibility-cleared'; readonly subject: string; readonly at: number };

const TYPES = new Set([
  'schema-created',
  'version-registered',
  'version-soft-deleted',
  'version-hard-deleted',
  'compatibility-set',
  'compatibility-cleared',
]);

/** Cheap structural check for replay: a line from the journal is trusted only this far. */
export function isRegistryEvent(x: unknown): x is RegistryEvent {
  return typeof x === 'object' && x !== null && TYPES.has((x as { type?: unknown }).type as string);
}
