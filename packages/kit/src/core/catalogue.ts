// The topic catalogue loader: pure (the caller reads the files and passes their text in).
// It checks what a typo would otherwise break at 3 a.m.: names unique and in Kafka's
// <domain>.<entity>.<event>.v<N> form, subjects equal to <topic>-value, partitions and
// retention in range, and every value schema parses with avsc.
import avro from 'avsc';

export type CleanupPolicy = 'delete' | 'compact';

export interface TopicKeySpec {
  readonly field: string;
  readonly type: 'string';
  readonly format?: string;
}

export interface TopicSpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly key: TopicKeySpec;
  readonly partitions: number;
  readonly cleanupPolicy: CleanupPolicy;
  /** null for compacted topics (kept forever, latest per key). */
  readonly retentionMs: number | null;
  readonly valueSchema: string;
  readonly valueSubject: string;
}

export interface LoadedTopic extends TopicSpec {
  /** The schema text, normalized (parsed and re-serialized without whitespace). */
  readonly schemaText: string;
  /** Full name of the value record, e.g. io.warmcast.ExecutionRequest. */
  readonly recordName: string;
}

export type CatalogueResult =
  | { readonly ok: true; readonly topics: readonly LoadedTopic[] }
  | { readonly ok: false; readonly problems: readonly string[] };

// Kafka allows [a-zA-Z0-9._-]{1,249}; we narrow to lower-case dotted words ending in .v<N>.
const TOPIC_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
const NAME_3 = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/; // <domain>.<entity>.v<N>, e.g. ops.deadletter.v1
const ID = /^[a-z][A-Za-z0-9]*$/;
const MAX_PARTITIONS = 1024;
const MIN_RETENTION_MS = 60_000; // below a minute is a unit mistake (seconds given as ms)

export function isWellFormedTopicName(name: string): boolean {
  return name.length <= 249 && (TOPIC_NAME.test(name) || NAME_3.test(name));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** pre: schemaTexts maps each valueSchema path (relative to schemas/) to the file's text. */
export function loadCatalogue(raw: unknown, schemaTexts: Readonly<Record<string, string>>): CatalogueResult {
  const problems: string[] = [];
  if (!isRecord(raw) || !Array.isArray(raw['topics'])) {
    return { ok: false, problems: ['catalogue: expected an object with a "topics" array'] };
  }
  const topics: LoadedTopic[] = [];
  const names = new Set<string>();
  const ids = new Set<string>();
  raw['topics'].forEach((entry: unknown, i: number) => {
    const at = `topics[${i}]`;
    if (!isRecord(entry)) { problems.push(`${at}: expected an object`); return; }
    const p = (msg: string): void => { problems.push(`${at} (${String(entry['name'])}): ${msg}`); };
    const { id, name, description, key, partitions, cleanupPolicy, retentionMs, valueSchema, valueSubject } = entry;
    if (typeof id !== 'string' || !ID.test(id)) p(`id ${JSON.stringify(id)} must be camelCase (${ID.source})`);
    else if (ids.has(id)) p(`id "${id}" is not unique`);
    else ids.add(id);
    if (typeof name !== 'string' || !isWellFormedTopicName(name)) p(`name ${JSON.stringify(name)} must be <domain>.<entity>.<event>.v<N> (lower case)`);
    else if (names.has(name)) p(`name "${name}" is not unique`);
    else names.add(name);
    if (typeof description !== 'string' || description.length === 0) p('description must be a non-empty string');
    if (!isRecord(key) || typeof key['field'] !== 'string' || key['type'] !== 'string') p('key must be { field: string, type: "string" }');
    if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) p(`partitions ${JSON.stringify(partitions)} must be an integer in 1..${MAX_PARTITIONS}`);
    if (cleanupPolicy !== 'delete' && cleanupPolicy !== 'compact') p(`cleanupPolicy ${JSON.stringify(cleanupPolicy)} must be "delete" or "compact"`);
    if (cleanupPolicy === 'delete' && (typeof retentionMs !== 'number' || !Number.isInteger(retentionMs) || retentionMs < MIN_RETENTION_MS)) p(`retentionMs ${JSON.stringify(retentionMs)} must be an integer >= ${MIN_RETENTION_MS} for cleanupPolicy delete`);
    if (cleanupPolicy === 'compact' && retentionMs !== null) p('retentionMs must be null for cleanupPolicy compact');
    if (typeof name === 'string' && valueSubject !== `${name}-value`) p(`valueSubject ${JSON.stringify(valueSubject)} must be "${name}-value"`);
    let schemaText = '';
    let recordName = '';
    if (typeof valueSchema !== 'string') p('valueSchema must be a path');
    else {
      const text = schemaTexts[valueSchema];
      if (text === undefined) p(`valueSchema "${valueSchema}" not found`);
      else {
        try {
          const parsed: unknown = JSON.parse(text);
          const type = avro.Type.forSchema(parsed as avro.Schema);
          if (type.typeName !== 'record' || type.name === undefined) p(`valueSchema "${valueSchema}" must be a named record`);
          else if (!type.name.startsWith('io.warmcast.')) p(`valueSchema "${valueSchema}" must be in namespace io.warmcast (got ${type.name})`);
          recordName = type.name ?? '';
          schemaText = JSON.stringify(parsed);
        } catch (err) {
          p(`valueSchema "${valueSchema}" does not parse: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    topics.push({ ...(entry as unknown as TopicSpec), schemaText, recordName });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, topics };
}
