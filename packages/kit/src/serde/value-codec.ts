// Value serde for one catalogued topic, Confluent wire format: 0x00, 4-byte big-endian
// schema id, Avro binary.
//
// Encoding goes through AvroSerializer with useLatestVersion (the schema registered at
// start-up), autoRegisterSchemas off, and the TOPIC subject strategy (skips the
// /associations probe that the default ASSOCIATED strategy makes per topic).
//
// Decoding resolves the writer's schema (looked up by id, cached by the client) against
// this process's own reader schema (the catalogue it was built with): Avro schema
// resolution. AvroDeserializer alone returns the writer's view, so a new consumer reading
// an old message would miss a field that the new schema adds with a default; with
// resolution the default is filled in, and an old consumer drops fields it does not know.
import avro from 'avsc';
import { AvroSerializer, RestError, SerdeType, SubjectNameStrategyType } from '@confluentinc/schemaregistry';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { WarmcastError, errorMessage } from '../errors.ts';
import type { Guard } from '../breaker.ts';

export type DecodeResult<V> =
  | { readonly ok: true; readonly value: V; readonly schemaId: number }
  | { readonly ok: false; readonly code: 'DECODE_FAILED' | 'UNKNOWN_SCHEMA_ID'; readonly text: string; readonly retriable: boolean };

const HEADER_BYTES = 5;
type Resolver = ReturnType<avro.Type['createResolver']>;

export class ValueCodec<V, I = V> {
  readonly topic: string;
  readonly subject: string;
  private readonly client: SchemaRegistryClient;
  private readonly serializer: AvroSerializer;
  private readonly reader: avro.Type;
  private readonly resolvers = new Map<number, Resolver>();

  /** readerSchemaText: the schema this process was compiled against (catalogue). */
  private readonly guard: Guard;

  /** guard: runs registry lookups (e.g. through the registry circuit breaker); default: direct. */
  constructor(client: SchemaRegistryClient, topic: string, readerSchemaText: string, guard: Guard = (call) => call()) {
    this.client = client;
    this.guard = guard;
    this.topic = topic;
    this.subject = `${topic}-value`;
    this.reader = avro.Type.forSchema(JSON.parse(readerSchemaText) as avro.Schema);
    this.serializer = new AvroSerializer(client, SerdeType.VALUE, {
      useLatestVersion: true,
      autoRegisterSchemas: false,
      subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
    });
  }

  async encode(value: I): Promise<Buffer> {
    try {
      return await this.serializer.serialize(this.topic, value);
    } catch (err) {
      if (err instanceof RestError) {
        throw new WarmcastError('REGISTRY_UNAVAILABLE', `encode ${this.topic}: ${err.message}`, { cause: err, retriable: err.status >= 500 || err.status === 404 });
      }
      throw new WarmcastError('ENCODE_FAILED', `encode ${this.topic}: ${errorMessage(err)}`, { cause: err });
    }
  }

  async decode(bytes: Buffer | null): Promise<DecodeResult<V>> {
    if (bytes === null) return { ok: false, code: 'DECODE_FAILED', text: 'null value (tombstone) on a topic with an Avro value', retriable: false };
    if (bytes.length < HEADER_BYTES || bytes[0] !== 0) {
      return { ok: false, code: 'DECODE_FAILED', text: `not Confluent wire format: ${bytes.length} bytes, first byte ${bytes[0] ?? 'none'} (want magic 0 + 4-byte id)`, retriable: false };
    }
    const schemaId = bytes.readInt32BE(1);
    let resolver = this.resolvers.get(schemaId);
    if (resolver === undefined) {
      let writerText: string;
      try {
        writerText = (await this.guard(() => this.client.getBySubjectAndId(this.subject, schemaId))).schema;
      } catch (err) {
        if (err instanceof RestError && err.status === 404) return { ok: false, code: 'UNKNOWN_SCHEMA_ID', text: `schema id ${schemaId} unknown to the registry (${err.message})`, retriable: false };
        // Registry down is not the message's fault: retry, do not dead-letter.
        return { ok: false, code: 'UNKNOWN_SCHEMA_ID', text: `schema id ${schemaId} lookup failed: ${errorMessage(err)}`, retriable: true };
      }
      try {
        const writer = avro.Type.forSchema(JSON.parse(writerText) as avro.Schema);
        resolver = this.reader.createResolver(writer);
      } catch (err) {
        return { ok: false, code: 'DECODE_FAILED', text: `writer schema ${schemaId} cannot be read as ${this.subject}: ${errorMessage(err)}`, retriable: false };
      }
      this.resolvers.set(schemaId, resolver);
    }
    try {
      const value = this.reader.fromBuffer(bytes.subarray(HEADER_BYTES), resolver) as V;
      return { ok: true, value, schemaId };
    } catch (err) {
      return { ok: false, code: 'DECODE_FAILED', text: `Avro body of schema id ${schemaId} does not decode: ${errorMessage(err)}`, retriable: false };
    }
  }
}
