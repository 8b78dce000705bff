// Schema registration at start-up. Schemas are registered EXPLICITLY from the catalogue and
// serializers use the latest registered version (CLIENT_NOTES 7.3): letting AvroSerializer
// derive a schema from a value would register {"name":"Record1",...} and break every reader.
import { RestError, SchemaRegistryClient } from '@confluentinc/schemaregistry';
import type { LoadedTopic } from '../core/catalogue.ts';
import { WarmcastError } from '../errors.ts';

export function createRegistryClient(url: string): SchemaRegistryClient {
  // 3 retries (the client's default) on 5xx / network errors; the breaker sits above that.
  return new SchemaRegistryClient({ baseURLs: [url], cacheCapacity: 1000, cacheLatestTtlSecs: 300, maxRetries: 3, retriesWaitMs: 100, retriesMaxWaitMs: 2000 });
}

/** Maps a registry failure to our closed list: 409 = incompatible (never retried), 5xx/network = retriable. */
export function registryError(err: unknown, what: string): WarmcastError {
  if (err instanceof RestError) {
    if (err.status === 409) return new WarmcastError('SCHEMA_INCOMPATIBLE', `${what}: ${err.message}`, { cause: err });
    if (err.status === 422) return new WarmcastError('CATALOGUE_INVALID', `${what}: registry rejected the schema: ${err.message}`, { cause: err });
    if (err.status >= 400 && err.status < 500) return new WarmcastError('SCHEMA_REGISTRATION_FAILED', `${what}: HTTP ${err.status} ${err.message}`, { cause: err, retriable: false });
  }
  return new WarmcastError('REGISTRY_UNAVAILABLE', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** Registers the value schema of each topic under <topic>-value; returns subject -> schema id. */
export async function registerSchemas(client: SchemaRegistryClient, topics: readonly LoadedTopic[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const t of topics) {
    try {
      ids.set(t.valueSubject, await client.register(t.valueSubject, { schemaType: 'AVRO', schema: t.schemaText }));
    } catch (err) {
      throw registryError(err, `register ${t.valueSubject}`);
    }
  }
  return ids;
}
