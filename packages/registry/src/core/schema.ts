import avro from 'avsc';
import type { Type } from 'avsc';
import { ErrorCodes, fail, ok } from './errors.ts';
import type { Result } from './errors.ts';

/** A named reference to another subject's version (Confluent `SchemaReference`). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** The body of register / lookup / compatibility requests, after shape checks. */
export interface SchemaRequest {
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/**
 * Shape-checks a request body. Only AVRO is served: JSON and PROTOBUF get 42201 with a
 * message saying so (the client surfaces it as RestError errorCode 42201). `metadata` and
 * `ruleSet` are accepted and ignored (data contracts are not implemented).
 */
export function parseSchemaRequest(body: unknown): Result<SchemaRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(ErrorCodes.INVALID_SCHEMA, 'Request body must be a JSON object with a "schema" string');
  }
  const b = body as Record<string, unknown>;
  const schemaType = b['schemaType'] ?? 'AVRO';
  if (schemaType !== 'AVRO') {
    return fail(
      ErrorCodes.INVALID_SCHEMA,
      `Invalid schema: schemaType ${JSON.stringify(schemaType)} is not supported; this registry serves AVRO only`,
    );
  }
  if (typeof b['schema'] !== 'string' || b['schema'].trim() === '') {
    return fail(ErrorCodes.INVALID_SCHEMA, 'Invalid schema: "schema" must be a non-empty string');
  }
  const refs = b['references'] ?? [];
  if (!Array.isArray(refs)) return fail(ErrorCodes.INVALID_SCHEMA, 'Invalid schema: "references" must be an array');
  const references: SchemaReference[] = [];
  for (const r of refs as unknown[]) {
    const ref = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const { name, subject, version } = ref;
    if (typeof name !== 'string' || typeof subject !== 'string' || !Number.isInteger(version) || (version as number) < 1) {
      return fail(
        ErrorCodes.INVALID_SCHEMA,
        `Invalid schema: reference ${JSON.stringify(r)} needs "name", "subject" and a positive integer "version"`,
      );
    }
    references.push({ name, subject, version: version as number });
  }
  return ok({ schema: b['schema'], references });
}

/**
 * The identity text of a schema: the JSON re-serialised without whitespace, so
 * `{"type": "string"}` and `{"type":"string"}` are one schema. Not avsc's fingerprint or
 * `type.schema()`: both drop `doc`, `default` and `aliases` (CLIENT_NOTES §7.4), and two
 * schemas that differ in a default must stay two ids.
 * With `normalize` (and no references) the text is avsc's expanded form with attributes
 * kept, so `"string"` and `{"type":"string"}` also collapse to one id.
 */
export function identityText(schemaText: string, type: Type, normalize: boolean, hasReferences: boolean): string {
  if (normalize && !hasReferences) return JSON.stringify(type.schema({ exportAttrs: true }));
  return JSON.stringify(JSON.parse(schemaText));
}

/**
 * Parses an Avro schema text, defining the referenced schemas first (dependencies before
 * dependents) in one avsc registry so that named types resolve across subjects.
 * Invalid JSON, invalid Avro and bad defaults (avsc checks them at parse time, e.g. a union
 * default that does not match the first branch) all give 42201.
 */
export function parseAvro(schemaText: string, dependencies: readonly string[]): Result<Type> {
  const registry: Record<string, Type> = {};
  let json: unknown;
  try {
    json = JSON.parse(schemaText);
  } catch (err) {
    return fail(ErrorCodes.INVALID_SCHEMA, `Invalid schema: not JSON (${(err as Error).message})`, err);
  }
  try {
    for (const dep of dependencies) avro.Type.forSchema(JSON.parse(dep) as avro.Schema, { registry });
  } catch (err) {
    return fail(ErrorCodes.INVALID_SCHEMA, `Invalid schema: a referenced schema does not parse (${(err as Error).message})`, err);
  }
  try {
    return ok(avro.Type.forSchema(json as avro.Schema, { registry }));
  } catch (err) {
    return fail(ErrorCodes.INVALID_SCHEMA, `Invalid schema: ${(err as Error).message}`, err);
  }
}
